package io.tonearm.daemon.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tonearm.daemon.errors.DomainException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TicketsTest {

  private final AtomicLong now = new AtomicLong();
  private final Tickets tickets = new Tickets(now::get);

  @Test
  void aTicketOpensOneSocket() {
    String t = tickets.issue(Principal.LOOPBACK);
    assertEquals(32, t.length());
    assertEquals(Principal.LOOPBACK, tickets.redeem(t));
    assertEquals("ticket_used", code(t));
  }

  @Test
  void aLateTicketIsRefused() {
    String t = tickets.issue(Principal.LOOPBACK);
    now.addAndGet(Tickets.TTL_MS * 1_000_000);
    assertEquals("ticket_expired", code(t));
  }

  @Test
  void anUnknownTicketIsRefused() {
    assertEquals("ticket_unknown", code("nosuch"));
  }

  private String code(String t) {
    DomainException e = assertThrows(DomainException.class, () -> tickets.redeem(t));
    assertEquals(DomainException.Kind.UNAUTHENTICATED, e.kind());
    return e.code();
  }
}
