package io.tonearm.daemon.access;

import java.net.InetAddress;

/**
 * A principal and the address it came from, as the command runner sees every command.
 *
 * @param principal who it acts as
 * @param address the client's address; null for the daemon's own calls
 */
public record Caller(Principal principal, InetAddress address) {

  /** The daemon itself, or a test calling a handler directly: loopback trust, no address. */
  public static final Caller INTERNAL = new Caller(Principal.LOOPBACK, null);

  /** The address as text for the audit log ("internal" when there is none). */
  public String where() {
    return address == null ? "internal" : address.getHostAddress();
  }
}
