package io.tonearm.daemon.access;

import io.tonearm.daemon.errors.DomainException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One-use tickets for opening the event socket without a long-lived secret in the URL: {@code POST
 * /api/v1/auth/ticket} gives one, {@code GET /ws?ticket=...} spends it. A ticket is 24 random bytes
 * (32 base64url characters), good for {@value #TTL_MS} ms and one upgrade; a spent or expired one
 * is remembered until a minute past its expiry so that its reuse is reported as such. At most
 * {@value #MAX_TICKETS} are held. Thread-safe.
 */
public final class Tickets {

  public static final long TTL_MS = 30_000;
  public static final int MAX_TICKETS = 10_000;
  private static final long REMEMBER_MS = 60_000;

  private record Ticket(Principal principal, long expiresNanos, boolean used) {}

  private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
  private final LongSupplier nanos;

  /**
   * @param nanos the clock, {@link System#nanoTime}
   */
  public Tickets(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /**
   * A new ticket for {@code principal}.
   *
   * @throws DomainException 503 {@code too_many_tickets} when {@value #MAX_TICKETS} are held
   */
  public String issue(Principal principal) {
    long now = nanos.getAsLong();
    if (tickets.size() >= MAX_TICKETS) {
      tickets.values().removeIf(t -> now - t.expiresNanos > REMEMBER_MS * 1_000_000);
      if (tickets.size() >= MAX_TICKETS) {
        throw new DomainException(
            DomainException.Kind.UNAVAILABLE,
            "too_many_tickets",
            MAX_TICKETS + " socket tickets are outstanding; use one or wait 30 s",
            Map.of("max", Integer.toString(MAX_TICKETS)));
      }
    }
    String id = TokenSecrets.newOpaque(24);
    tickets.put(id, new Ticket(principal, now + TTL_MS * 1_000_000, false));
    return id;
  }

  /**
   * Spends a ticket.
   *
   * @return the principal it was issued to
   * @throws DomainException 401 {@code ticket_unknown}, {@code ticket_used} or {@code
   *     ticket_expired}
   */
  public Principal redeem(String id) {
    long now = nanos.getAsLong();
    Ticket[] found = new Ticket[1];
    tickets.computeIfPresent(
        id,
        (k, t) -> {
          found[0] = t;
          return t.used ? t : new Ticket(t.principal, t.expiresNanos, true);
        });
    Ticket t = found[0];
    if (t == null) {
      throw fail("ticket_unknown", "unknown socket ticket (get one from POST /api/v1/auth/ticket)");
    }
    if (t.used) {
      throw fail("ticket_used", "this socket ticket was used already; a ticket opens one socket");
    }
    if (now - t.expiresNanos >= 0) {
      throw fail("ticket_expired", "this socket ticket expired (a ticket lasts 30 s)");
    }
    return t.principal;
  }

  /** Tickets held now (for /metrics). */
  public int size() {
    return tickets.size();
  }

  private static DomainException fail(String code, String message) {
    return new DomainException(DomainException.Kind.UNAUTHENTICATED, code, message);
  }
}
