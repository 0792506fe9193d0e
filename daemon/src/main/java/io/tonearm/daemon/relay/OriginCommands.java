package io.tonearm.daemon.relay;

import com.google.protobuf.Message;
import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.access.Caller;
import io.tonearm.daemon.access.Principal;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.command.SocketCommands;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.transport.ws.SocketAdmission;
import io.tonearm.proto.v1.Origin;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a relay's clients reach the origin: a relay holds no tokens, so it admits a socket by opening
 * (or reusing) one {@link Upstream} socket to the origin with the same credentials, and runs that
 * socket's commands on it. The origin authenticates, authorizes (scopes, zones), rate limits and
 * audits every command as the caller's token, and closes the upstream with 4003 when the token is
 * revoked or expires: the relay then closes every socket of that token with 4003.
 *
 * <p>Sockets with the same credentials share one upstream (keyed by a SHA-256 of them); a ticket is
 * single-use, so a ticket's socket gets an upstream of its own. A client without credentials is
 * admitted only from this relay's loopback while {@code --trust-loopback} is on, and its commands
 * go to the origin without credentials (the origin trusts them only if the relay is on its
 * loopback): a relay never turns a remote client into a local one. Thread-safe.
 */
public final class OriginCommands implements SocketCommands, SocketAdmission, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OriginCommands.class);

  /** Upstream key prefix of the loopback clients that sent no credentials (then the zone). */
  private static final String LOOPBACK_KEY = "loopback@";

  private final String origin;
  private final boolean trustLoopback;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, CompletableFuture<Upstream>> upstreams = new ConcurrentHashMap<>();
  private final Map<String, Access.Credentials> credentials = new ConcurrentHashMap<>();
  private final Map<String, String> zones = new ConcurrentHashMap<>();
  private volatile BiConsumer<String, String> revoked = (key, why) -> {};
  private volatile ToIntFunction<String> socketsOf = key -> 1;
  private volatile Set<String> idle = Set.of();

  /**
   * @param origin {@code http(s)://host:port}
   * @param trustLoopback whether this relay's loopback clients may come without credentials
   */
  public OriginCommands(String origin, boolean trustLoopback) {
    this.origin = origin;
    this.trustLoopback = trustLoopback;
  }

  /**
   * Wires the relay's sockets: {@code revoked(key, reason)} closes every socket of an upstream key
   * with 4003; {@code socketsOf(key)} counts them (an upstream none uses any more is closed).
   */
  public void attach(BiConsumer<String, String> revoked, ToIntFunction<String> socketsOf) {
    this.revoked = revoked;
    this.socketsOf = socketsOf;
  }

  @Override
  public CompletionStage<Principal> admit(Access.Credentials c, InetAddress from, String zone) {
    if (!c.any()) {
      if (trustLoopback && from != null && from.isLoopbackAddress()) {
        return CompletableFuture.completedFuture(Principal.LOOPBACK);
      }
      return CompletableFuture.failedFuture(
          new DomainException(
              DomainException.Kind.UNAUTHENTICATED,
              "token_missing",
              "a token is needed (Authorization: Bearer, the tonearm.bearer subprotocol or a"
                  + " ticket)"));
    }
    // One upstream per token and zone: the origin checks at its upgrade that the token may use it.
    String z = zone == null ? "" : zone;
    String key = c.ticket() != null ? "ticket:" + random() : "token:" + digest(c) + "@" + z;
    credentials.put(key, c);
    zones.put(key, z);
    return upstream(key)
        // The token's zones as the origin knows them: the relay picks the socket's zone and
        // filters topic "zones" by the same rule as the origin.
        .thenApply(u -> new Principal(key, "via relay", EnumSet.of(Scope.READ), u.tokenZones(), 0))
        .whenComplete(
            (p, err) -> {
              if (err != null) {
                credentials.remove(key);
              }
            });
  }

  @Override
  public CompletionStage<Message> run(
      Caller caller, io.tonearm.proto.v1.Command sent, Origin who, String connectionZone) {
    String key;
    if (caller.principal().trusted()) {
      key = LOOPBACK_KEY + connectionZone;
      credentials.putIfAbsent(key, Access.Credentials.NONE);
      zones.putIfAbsent(key, connectionZone);
    } else {
      key = caller.principal().tokenId();
    }
    io.tonearm.proto.v1.Command cmd =
        sent.getSource() == io.tonearm.proto.v1.CommandSource.COMMAND_SOURCE_UNSPECIFIED
            ? sent.toBuilder().setSource(who.getSource()).build()
            : sent;
    return upstream(key).thenCompose(u -> u.run(cmd));
  }

  /**
   * Whether the origin has zone {@code zone} now, for a client without credentials (trusted
   * loopback) naming a zone this relay has not read of yet (made at the origin a moment ago; its
   * event is not in Redis or not read yet): asked by opening a socket to the origin for that zone
   * without credentials, closed at once, which the origin refuses with 404 {@code zone_not_found}
   * when it has no such zone. A socket of its own, not the zone's command upstream, which may
   * outlive the zone for a moment. False on any refusal: also when the origin cannot be asked (it
   * does not trust this relay's loopback, 401, or does not answer); the relay's own answer stands.
   */
  public CompletionStage<Boolean> originHasZone(String zone) {
    return Upstream.open(http, origin, Access.Credentials.NONE, zone, (u, code) -> {})
        .handle(
            (u, err) -> {
              if (u != null) {
                u.close();
              }
              return err == null;
            });
  }

  /** The open upstream of {@code key}, opened when there is none. */
  private CompletableFuture<Upstream> upstream(String key) {
    CompletableFuture<Upstream> f =
        upstreams.compute(
            key,
            (k, old) -> {
              if (old != null
                  && (!old.isDone() || (!old.isCompletedExceptionally() && old.join().open()))) {
                return old;
              }
              Access.Credentials c = credentials.get(k);
              if (c == null) {
                return CompletableFuture.failedFuture(
                    new DomainException(
                        DomainException.Kind.UNAUTHENTICATED,
                        "token_revoked",
                        "this socket's token no longer works at the origin"));
              }
              return Upstream.open(
                  http, origin, c, zones.getOrDefault(k, ""), (u, code) -> closed(k, u, code));
            });
    return f.whenComplete(
        (u, err) -> {
          if (err != null) {
            upstreams.remove(key, f); // the next try opens again
          }
        });
  }

  private void closed(String key, Upstream u, int code) {
    upstreams.computeIfPresent(
        key, (k, f) -> f.isDone() && !f.isCompletedExceptionally() && f.join() == u ? null : f);
    if (code == 4003) {
      credentials.remove(key);
      log.info("the origin ended a token's relay socket (4003): closing its sockets here");
      revoked.accept(key, "token revoked or expired at the origin");
    }
  }

  /**
   * Closes upstreams that no socket has used at two sweeps in a row (so a socket admitted just
   * before a sweep keeps its upstream); call now and then.
   */
  public void sweep() {
    Set<String> unused = new java.util.HashSet<>();
    for (String key : upstreams.keySet()) {
      if (!key.startsWith(LOOPBACK_KEY) && socketsOf.applyAsInt(key) == 0) {
        unused.add(key);
      }
    }
    Set<String> remove = new java.util.HashSet<>(unused);
    remove.retainAll(idle);
    idle = unused;
    for (String key : remove) {
      CompletableFuture<Upstream> f = upstreams.remove(key);
      credentials.remove(key);
      if (f != null && f.isDone() && !f.isCompletedExceptionally() && f.join().pending() == 0) {
        f.join().close();
      }
    }
  }

  /** Upstream sockets open now. */
  public int upstreams() {
    return upstreams.size();
  }

  private static String digest(Access.Credentials c) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(String.valueOf(c.authorization()).getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(String.valueOf(c.subprotocolSecret()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    for (CompletableFuture<Upstream> f : upstreams.values()) {
      if (f.isDone() && !f.isCompletedExceptionally()) {
        f.join().close();
      }
    }
    upstreams.clear();
  }
}
