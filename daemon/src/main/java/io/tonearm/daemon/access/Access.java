package io.tonearm.daemon.access;

import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.errors.DomainException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides who a request acts as. A request with credentials (a bearer token, the token offered as a
 * WebSocket subprotocol, or a socket ticket) is that token's, or refused with 401 and a code for
 * what is wrong; one without is a trusted loopback client when it comes from loopback and loopback
 * is trusted, else refused with {@code token_missing}. Failed authentications are limited per
 * address (IPv6 by /64): past the burst, requests from that address are refused with 429 {@code
 * too_many_auth_failures} before any hash is computed, and are not logged one by one. Thread-safe.
 */
public final class Access {

  /**
   * What a request carried; each field null when absent.
   *
   * @param authorization the HTTP {@code Authorization} header
   * @param subprotocolSecret the token offered as a WebSocket subprotocol
   * @param ticket a one-use socket ticket
   * @param password the token given with MPD's {@code password} command
   */
  public record Credentials(
      String authorization, String subprotocolSecret, String ticket, String password) {
    public static final Credentials NONE = new Credentials(null, null, null, null);

    /** The argument of MPD's {@code password}. */
    public static Credentials password(String secret) {
      return new Credentials(null, null, null, secret);
    }

    public boolean any() {
      return authorization != null
          || subprotocolSecret != null
          || ticket != null
          || password != null;
    }
  }

  private final TokenStore store;
  private final Tickets tickets;
  private final AuditLog audit;
  private final CommandLimits limits;
  private final boolean trustLoopback;
  private final KeyedBuckets<String> failures;
  private final LongSupplier nanos;
  private final LongSupplier millis;
  private final Map<String, AtomicLong> failuresByCode = new ConcurrentHashMap<>();
  private final AtomicLong limitedAuth = new AtomicLong();

  /** Addresses whose failures are remembered at most (see {@link KeyedBuckets}). */
  public static final int MAX_FAILURE_ADDRESSES = 4096;

  public Access(
      TokenStore store,
      Config.Security s,
      AuditLog audit,
      LongSupplier nanos,
      LongSupplier millis) {
    this.store = store;
    this.audit = audit;
    this.nanos = nanos;
    this.millis = millis;
    this.trustLoopback = s.trustLoopback();
    this.tickets = new Tickets(nanos);
    this.limits = new CommandLimits(s, nanos);
    this.failures =
        new KeyedBuckets<>(
            s.authFailuresPerMinute() / 60.0,
            s.authFailureBurst(),
            MAX_FAILURE_ADDRESSES,
            nanos.getAsLong());
  }

  /**
   * The principal of a request.
   *
   * @param from the client's address
   * @throws DomainException 401 ({@code token_missing}, {@code token_malformed}, {@code
   *     token_unknown}, {@code token_expired}, {@code token_revoked}, {@code ticket_unknown},
   *     {@code ticket_used}, {@code ticket_expired}) or 429 {@code too_many_auth_failures}
   */
  public Principal authenticate(Credentials c, InetAddress from) {
    if (!c.any() && trustLoopback && from != null && from.isLoopbackAddress()) {
      return Principal.LOOPBACK;
    }
    String where = from == null ? "internal" : from.getHostAddress();
    String key = AddressKeys.of(from);
    long wait = failures.peek(key, nanos.getAsLong());
    if (wait > 0) {
      limitedAuth.incrementAndGet();
      throw tooMany(wait);
    }
    try {
      Principal p = check(c);
      if (!p.trusted()) {
        audit.tokenUsed(p, where, millis.getAsLong());
      }
      return p;
    } catch (DomainException e) {
      failuresByCode.computeIfAbsent(e.code(), k -> new AtomicLong()).incrementAndGet();
      long now = nanos.getAsLong();
      failures.take(key, now);
      audit.authFailed(where, e.code(), what(c));
      long next = failures.peek(key, now);
      if (next > 0) {
        audit.authLimited(where, next / 1_000_000);
      }
      throw e;
    }
  }

  private Principal check(Credentials c) {
    if (c.authorization() != null) {
      String h = c.authorization().trim();
      if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
        throw fail(
            "token_malformed", "the Authorization header must be 'Bearer <token>' (RFC 6750)");
      }
      return byToken(h.substring(7).trim());
    }
    if (c.subprotocolSecret() != null) {
      return byToken(c.subprotocolSecret());
    }
    if (c.password() != null) {
      return byToken(c.password());
    }
    if (c.ticket() != null) {
      Principal p = tickets.redeem(c.ticket());
      if (!p.trusted()) {
        StoredToken t = store.byId(p.tokenId()).orElse(null);
        if (t == null) {
          throw fail("token_unknown", "the ticket's token no longer exists");
        }
        valid(t);
      }
      return p;
    }
    throw fail(
        "token_missing",
        "this needs a token: send 'Authorization: Bearer <token>' (clients on this machine are"
            + " trusted without one unless --trust-loopback off)");
  }

  private Principal byToken(String secret) {
    if (!TokenSecrets.wellFormed(secret)) {
      throw fail(
          "token_malformed",
          "not a token: a token is '" + TokenSecrets.PREFIX + "' and 43 base64url characters");
    }
    StoredToken t =
        store
            .find(secret)
            .orElseThrow(() -> fail("token_unknown", "unknown token (never made here)"));
    valid(t);
    store.touch(t, millis.getAsLong());
    return t.principal();
  }

  private void valid(StoredToken t) {
    if (t.revokedMs() != 0) {
      throw fail("token_revoked", "token '" + t.name() + "' was revoked");
    }
    if (t.expiredAt(millis.getAsLong())) {
      throw fail("token_expired", "token '" + t.name() + "' has expired");
    }
  }

  /** A one-use socket ticket for {@code p} (see {@link Tickets}). */
  public String issueTicket(Principal p) {
    return tickets.issue(p);
  }

  public TokenStore tokens() {
    return store;
  }

  public AuditLog audit() {
    return audit;
  }

  public CommandLimits limits() {
    return limits;
  }

  public Tickets tickets() {
    return tickets;
  }

  public boolean trustLoopback() {
    return trustLoopback;
  }

  /** Authentications refused so far, by code. */
  public Map<String, AtomicLong> failuresByCode() {
    return failuresByCode;
  }

  /** Requests refused unchecked because their address had too many failures. */
  public long limitedAuth() {
    return limitedAuth.get();
  }

  /** Addresses whose failures are being counted now (at most {@link #MAX_FAILURE_ADDRESSES}). */
  public int failureAddresses() {
    return failures.size();
  }

  private static String what(Credentials c) {
    return c.authorization() != null
        ? "bearer token"
        : c.subprotocolSecret() != null
            ? "token in Sec-WebSocket-Protocol"
            : c.ticket() != null
                ? "socket ticket"
                : c.password() != null ? "MPD password" : "no credentials";
  }

  private static DomainException fail(String code, String message) {
    return new DomainException(DomainException.Kind.UNAUTHENTICATED, code, message);
  }

  private static DomainException tooMany(long waitNanos) {
    long ms = Math.max(1, (waitNanos + 999_999) / 1_000_000);
    return new DomainException(
        DomainException.Kind.TOO_MANY,
        "too_many_auth_failures",
        "too many failed authentications from this address; retry in " + ms + " ms",
        Map.of("retry_after_ms", Long.toString(ms)));
  }
}
