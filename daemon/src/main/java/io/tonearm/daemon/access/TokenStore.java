package io.tonearm.daemon.access;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.persist.CrcFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The tokens of this install, in {@code tokens.bin} in the data dir (written whole and crash-safely
 * by {@link CrcFile}, 0600). Lookups are one keyed hash and one map read and may run on any thread;
 * changes (create, revoke, the lazy last-use flush) are serialized and write the file before they
 * return, so callers run them off the event loops.
 *
 * <p>Bounds: at most {@value #MAX_TOKENS} tokens that are not revoked; the newest {@value
 * #MAX_REVOKED} revoked ones are kept (so that their use gets {@code token_revoked}, not {@code
 * token_unknown}). The last use is kept to the minute and written at most once a minute.
 */
public final class TokenStore {

  public static final int MAX_TOKENS = 1000;
  public static final int MAX_REVOKED = 1000;

  /** Longest lifetime a token may be given: ten years, in seconds. */
  public static final long MAX_LIFETIME_S = 10L * 366 * 24 * 3600;

  /** Shortest lifetime other than "never": a minute. */
  public static final long MIN_LIFETIME_S = 60;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._ -]{1,64}");
  private static final int FORMAT = 1;

  private final Path file;
  private final TokenSecrets secrets;
  private final Predicate<String> zoneExists;
  private final Map<ByteBuffer, StoredToken> byHash = new ConcurrentHashMap<>();
  private final Map<String, StoredToken> byId = new ConcurrentHashMap<>();
  private volatile boolean dirty;
  private volatile Runnable onDirty = () -> {};

  private TokenStore(Path file, TokenSecrets secrets, Predicate<String> zoneExists) {
    this.file = file;
    this.secrets = secrets;
    this.zoneExists = zoneExists;
  }

  /**
   * Opens the store of {@code dataDir} ({@code tokens.bin}, {@code token.key}), making the key on
   * first use. A damaged token file reads as empty (every token is then unknown).
   *
   * @param zoneExists whether a zone id names a zone (tokens may be limited to zones)
   */
  public static TokenStore open(Path dataDir, Predicate<String> zoneExists) throws IOException {
    TokenStore s =
        new TokenStore(
            dataDir.resolve("tokens.bin"),
            TokenSecrets.load(dataDir.resolve("token.key")),
            zoneExists);
    s.read();
    return s;
  }

  /** The token whose secret this is, revoked and expired ones included. */
  public Optional<StoredToken> find(String secret) {
    return Optional.ofNullable(byHash.get(ByteBuffer.wrap(secrets.hash(secret))));
  }

  /** The token of this public id. */
  public Optional<StoredToken> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** True when no token is valid (none, or all revoked). */
  public boolean noneValid() {
    return byId.values().stream().allMatch(t -> t.revokedMs() != 0);
  }

  /** Every token, oldest first. */
  public List<StoredToken> list() {
    List<StoredToken> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparingLong(StoredToken::createdMs).thenComparing(StoredToken::id));
    return all;
  }

  /** A new token and its secret (the only time the secret exists outside the caller). */
  public record Created(StoredToken token, String secret) {}

  /**
   * Makes a token and writes the file. Blocks for the write.
   *
   * @param expiresInS lifetime in seconds, 0 for never
   * @throws DomainException 400/422 for a bad name, scope, zone or lifetime; 409 past the bound
   */
  public synchronized Created create(
      String name, List<String> scopeNames, List<String> zoneIds, long expiresInS, long nowMs)
      throws IOException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new DomainException(
          DomainException.Kind.UNPROCESSABLE,
          "bad_name",
          "a token name is 1 to 64 letters, digits, '.', '_', '-' or spaces",
          Map.of("field", "name"));
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String s : scopeNames) {
      scopes.add(
          Scope.byWireName(s)
              .orElseThrow(
                  () ->
                      new DomainException(
                          DomainException.Kind.UNPROCESSABLE,
                          "unknown_scope",
                          "unknown scope '"
                              + clip(s)
                              + "': the scopes are read, control, library, admin",
                          Map.of("field", "scopes", "scope", clip(s)))));
    }
    if (scopes.isEmpty()) {
      throw new DomainException(
          DomainException.Kind.UNPROCESSABLE,
          "no_scope",
          "a token needs at least one scope of read, control, library, admin",
          Map.of("field", "scopes"));
    }
    Set<String> zones = new LinkedHashSet<>();
    for (String z : zoneIds) {
      if (!zoneExists.test(z)) {
        throw new DomainException(
            DomainException.Kind.NOT_FOUND,
            "zone_not_found",
            "no zone '" + clip(z) + "'",
            Map.of("field", "zones", "zone", clip(z)));
      }
      zones.add(z);
    }
    if (expiresInS != 0 && (expiresInS < MIN_LIFETIME_S || expiresInS > MAX_LIFETIME_S)) {
      throw DomainException.outOfRange(
          "expires_in_s", expiresInS, "0 (never) or " + MIN_LIFETIME_S + " to " + MAX_LIFETIME_S);
    }
    long live = byId.values().stream().filter(t -> t.revokedMs() == 0).count();
    if (live >= MAX_TOKENS) {
      throw new DomainException(
          DomainException.Kind.CONFLICT,
          "too_many_tokens",
          "there are " + MAX_TOKENS + " tokens already; revoke some first",
          Map.of("max", Integer.toString(MAX_TOKENS)));
    }
    String secret = TokenSecrets.newSecret();
    String id;
    do {
      id = TokenSecrets.newId(8);
    } while (byId.containsKey(id));
    StoredToken t =
        new StoredToken(
            id,
            name,
            secrets.hash(secret),
            scopes,
            zones,
            nowMs,
            expiresInS == 0 ? 0 : nowMs + expiresInS * 1000,
            0,
            0);
    put(t);
    try {
      write();
    } catch (IOException e) {
      remove(t);
      throw e;
    }
    return new Created(t, secret);
  }

  /**
   * Revokes a token and writes the file; revoking a revoked token changes nothing.
   *
   * @throws DomainException 404 for an unknown id
   */
  public synchronized StoredToken revoke(String id, long nowMs) throws IOException {
    StoredToken t = byId.get(id);
    if (t == null) {
      throw DomainException.notFound("token", clip(id));
    }
    if (t.revokedMs() == 0) {
      t.revoke(nowMs);
      List<StoredToken> revoked =
          byId.values().stream()
              .filter(x -> x.revokedMs() != 0)
              .sorted(Comparator.comparingLong(StoredToken::revokedMs))
              .toList();
      for (int i = 0; i < revoked.size() - MAX_REVOKED; i++) {
        remove(revoked.get(i));
      }
      write();
    }
    return t;
  }

  /**
   * Notes a use at {@code nowMs} (kept to the minute); written by the next {@link #flush}. The
   * first use noted after a write calls the {@link #onDirty} hook.
   */
  public void touch(StoredToken t, long nowMs) {
    if (t.touch(nowMs - nowMs % 60_000) && !dirty) {
      dirty = true;
      onDirty.run();
    }
  }

  /**
   * Sets what the first use noted after a write calls (on the noting thread; must not block): the
   * daemon schedules a {@link #flush} then, rather than waking every minute to find nothing to
   * write.
   */
  public void onDirty(Runnable hook) {
    onDirty = hook;
  }

  /** Writes the last-use times when any changed since the last write. */
  public synchronized void flush() throws IOException {
    if (dirty) {
      write();
    }
  }

  private void put(StoredToken t) {
    byHash.put(ByteBuffer.wrap(t.hash()), t);
    byId.put(t.id(), t);
  }

  private void remove(StoredToken t) {
    byHash.remove(ByteBuffer.wrap(t.hash()));
    byId.remove(t.id());
  }

  private void write() throws IOException {
    dirty = false;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      List<StoredToken> all = list();
      out.writeInt(FORMAT);
      out.writeInt(all.size());
      for (StoredToken t : all) {
        out.writeUTF(t.id());
        out.writeUTF(t.name());
        out.write(t.hash());
        int mask = 0;
        for (Scope s : t.scopes()) {
          mask |= 1 << s.ordinal();
        }
        out.writeInt(mask);
        out.writeInt(t.zones().size());
        for (String z : t.zones()) {
          out.writeUTF(z);
        }
        out.writeLong(t.createdMs());
        out.writeLong(t.expiresMs());
        out.writeLong(t.lastUsedMs());
        out.writeLong(t.revokedMs());
      }
    }
    CrcFile.writePrivate(file, bytes.toByteArray());
  }

  private void read() throws IOException {
    byte[] body = CrcFile.read(file, 8).orElse(null);
    if (body == null) {
      return;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      if (in.readInt() != FORMAT) {
        throw new IOException(file + ": unknown format");
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String id = in.readUTF();
        String name = in.readUTF();
        byte[] hash = in.readNBytes(32);
        int mask = in.readInt();
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Scope s : Scope.values()) {
          if ((mask & (1 << s.ordinal())) != 0) {
            scopes.add(s);
          }
        }
        int zoneCount = in.readInt();
        Set<String> zones = new LinkedHashSet<>();
        for (int z = 0; z < zoneCount; z++) {
          zones.add(in.readUTF());
        }
        put(
            new StoredToken(
                id,
                name,
                hash,
                scopes,
                zones,
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong()));
      }
    }
  }

  private static String clip(String s) {
    return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
