package io.tonearm.daemon.access;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.ZoneId;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Who a request acts as: a token (its public id, name, scopes and zones) or a loopback client
 * trusted without one. Immutable.
 *
 * @param tokenId the token's public id; "" for a trusted loopback client
 * @param name the token's name; "loopback" for a trusted loopback client
 * @param scopes what it may do
 * @param zones the zones it may use; empty for every zone
 * @param expiresMs when the token stops working, Unix ms; 0 for never
 */
public record Principal(
    String tokenId, String name, Set<Scope> scopes, Set<String> zones, long expiresMs) {

  /** A loopback client trusted without a token: every scope, every zone. */
  public static final Principal LOOPBACK =
      new Principal("", "loopback", EnumSet.allOf(Scope.class), Set.of(), 0);

  /**
   * A client that has shown no token and is not trusted: no scope at all. MPD's port gives it to a
   * connection until {@code password} names a token (HTTP refuses such a request instead).
   */
  public static final Principal ANONYMOUS = new Principal("", "anonymous", Set.of(), Set.of(), 0);

  public Principal {
    scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    zones = Set.copyOf(zones);
  }

  /**
   * True for a principal without a token: a trusted loopback client, or {@link #ANONYMOUS} (which
   * has no scope). Neither has a token's rate limit or connection count.
   */
  public boolean trusted() {
    return tokenId.isEmpty();
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }

  /** True when this principal may use zone {@code zoneId}. */
  public boolean allowsZone(String zoneId) {
    return zones.isEmpty() || zones.contains(zoneId);
  }

  /**
   * The zone a request acts on: {@code named} when it names one, else "default" when this principal
   * may use it, else its one zone. Refuses with 403 {@code zone_forbidden} a zone it may not use
   * (whether or not that zone exists: a token cannot probe for other zones), and with 400 {@code
   * zone_required} a request that names none when it may use several zones but not "default".
   * Whether the zone exists is for the caller to check (404 {@code zone_not_found}).
   *
   * @param named the zone named by the request; null or "" for none
   */
  public String zoneFor(String named) {
    if (named != null && !named.isEmpty()) {
      if (!allowsZone(named)) {
        String shown = named.length() > 40 ? named.substring(0, 40) + "..." : named;
        throw new DomainException(
            DomainException.Kind.FORBIDDEN,
            "zone_forbidden",
            label() + " may not use zone '" + shown + "'",
            Map.of("zone", shown));
      }
      return named;
    }
    if (allowsZone(ZoneId.DEFAULT)) {
      return ZoneId.DEFAULT;
    }
    if (zones.size() == 1) {
      return zones.iterator().next();
    }
    throw new DomainException(
        DomainException.Kind.INVALID,
        "zone_required",
        label() + " may use several zones but not 'default': name one (?zone=, Command.zone)",
        Map.of());
  }

  /**
   * Refuses with 403 {@code scope_missing} unless this principal has {@code scope}.
   *
   * @param what the command or route, for the message
   */
  public void require(Scope scope, String what) {
    if (!has(scope)) {
      throw new DomainException(
          DomainException.Kind.FORBIDDEN,
          "scope_missing",
          what + " needs a token with scope '" + scope.wireName() + "'; " + label() + " has none",
          Map.of("scope", scope.wireName(), "command", what));
    }
  }

  /**
   * How the audit log and messages name it: {@code token 'phone' (3fa2...)} or {@code loopback}.
   */
  public String label() {
    if (trusted()) {
      return scopes.isEmpty() ? "anonymous (no token)" : "loopback (trusted)";
    }
    return "token '" + name + "' (" + tokenId + ")";
  }
}
