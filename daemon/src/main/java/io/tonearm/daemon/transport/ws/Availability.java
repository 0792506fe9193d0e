package io.tonearm.daemon.transport.ws;

/**
 * Whether the event socket takes new connections now. The origin always does; a relay does not
 * while it has no Redis or no snapshots yet, and says why (an upgrade is then refused with 503
 * {@code unavailable}, so a load balancer or client goes elsewhere).
 */
@FunctionalInterface
public interface Availability {

  /** Null when sockets may open, else the reason they may not. Any thread; must not block. */
  String unavailable();

  /** Always open (the origin). */
  Availability ALWAYS = () -> null;
}
