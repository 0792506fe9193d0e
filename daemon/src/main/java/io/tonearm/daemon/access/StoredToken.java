package io.tonearm.daemon.access;

import io.tonearm.proto.v1.TokenInfo;
import java.util.Set;

/**
 * A token as the daemon keeps it: the public fields, the keyed hash of its secret, and the two
 * fields that change (last use, revocation). Thread-safe: the changing fields are volatile.
 */
public final class StoredToken {

  private final String id;
  private final String name;
  private final byte[] hash;
  private final Set<Scope> scopes;
  private final Set<String> zones;
  private final long createdMs;
  private final long expiresMs;
  private final Principal principal;
  private volatile long lastUsedMs;
  private volatile long revokedMs;

  StoredToken(
      String id,
      String name,
      byte[] hash,
      Set<Scope> scopes,
      Set<String> zones,
      long createdMs,
      long expiresMs,
      long lastUsedMs,
      long revokedMs) {
    this.id = id;
    this.name = name;
    this.hash = hash.clone();
    this.scopes = Set.copyOf(scopes);
    this.zones = Set.copyOf(zones);
    this.createdMs = createdMs;
    this.expiresMs = expiresMs;
    this.lastUsedMs = lastUsedMs;
    this.revokedMs = revokedMs;
    this.principal = new Principal(id, name, scopes, zones, expiresMs);
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  byte[] hash() {
    return hash.clone();
  }

  public Set<Scope> scopes() {
    return scopes;
  }

  public Set<String> zones() {
    return zones;
  }

  public long createdMs() {
    return createdMs;
  }

  /** Unix ms when it stops working; 0 for never. */
  public long expiresMs() {
    return expiresMs;
  }

  public long lastUsedMs() {
    return lastUsedMs;
  }

  /** Unix ms when it was revoked; 0 while valid. */
  public long revokedMs() {
    return revokedMs;
  }

  public boolean expiredAt(long nowMs) {
    return expiresMs != 0 && nowMs >= expiresMs;
  }

  /** Who requests made with this token act as. */
  public Principal principal() {
    return principal;
  }

  /** Sets the last use to {@code minuteMs} when that is later; true when it changed. */
  boolean touch(long minuteMs) {
    if (minuteMs > lastUsedMs) {
      lastUsedMs = minuteMs;
      return true;
    }
    return false;
  }

  void revoke(long nowMs) {
    revokedMs = nowMs;
  }

  /** The API's view (no secret, no hash). */
  public TokenInfo info() {
    TokenInfo.Builder b =
        TokenInfo.newBuilder()
            .setId(id)
            .setName(name)
            .addAllZones(zones.stream().sorted().toList())
            .setCreatedMs(createdMs)
            .setExpiresMs(expiresMs)
            .setLastUsedMs(lastUsedMs)
            .setRevokedMs(revokedMs);
    for (Scope s : Scope.values()) {
      if (scopes.contains(s)) {
        b.addScopes(s.wireName());
      }
    }
    return b.build();
  }
}
