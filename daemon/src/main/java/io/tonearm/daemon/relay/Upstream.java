package io.tonearm.daemon.relay;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.WireTypes;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One event socket from a relay to the origin, opened with one client's credentials and subscribed
 * to nothing: the origin authenticates it at the upgrade (so a relay needs no token store), runs
 * the commands sent on it as that token (scopes, zones, rates), and closes it with 4003 when the
 * token is revoked or expires. Thread-safe.
 */
final class Upstream implements WebSocket.Listener {

  /** How long a command may wait for the origin's answer. */
  static final long COMMAND_TIMEOUT_MS = 10_000;

  private final Map<String, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final BiConsumer<Upstream, Integer> onClosed;
  private final CompletableFuture<Upstream> hello = new CompletableFuture<>();
  private volatile java.util.Set<String> tokenZones = java.util.Set.of();
  private volatile WebSocket socket;
  private volatile boolean closed;
  private CompletableFuture<WebSocket> sending; // guarded by this

  private Upstream(BiConsumer<Upstream, Integer> onClosed) {
    this.onClosed = onClosed;
  }

  /**
   * Opens one to {@code origin} ({@code http(s)://host:port}) with {@code credentials}; completes
   * once the origin's hello is in (what the token may use is known then). Fails with the origin's
   * refusal as a {@link DomainException} (401 token codes, 403, 429), or {@code unavailable} when
   * the origin cannot be reached.
   *
   * @param zone the zone the socket follows ("" for the default): the origin checks the token may
   *     use it
   * @param onClosed told once, with the close code (-1 for an error), when the socket ends
   */
  static CompletableFuture<Upstream> open(
      HttpClient http,
      String origin,
      Access.Credentials credentials,
      String zone,
      BiConsumer<Upstream, Integer> onClosed) {
    Upstream u = new Upstream(onClosed);
    StringBuilder url =
        new StringBuilder(origin.replaceFirst("^http", "ws")).append("/ws?client=relay");
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (credentials.authorization() != null) {
      b.header("Authorization", credentials.authorization());
    }
    if (credentials.subprotocolSecret() != null) {
      b.subprotocols("tonearm.v1", "tonearm.bearer." + credentials.subprotocolSecret());
    }
    if (!zone.isEmpty()) {
      url.append("&zone=").append(URLEncoder.encode(zone, StandardCharsets.UTF_8));
    }
    if (credentials.ticket() != null) {
      url.append("&ticket=")
          .append(URLEncoder.encode(credentials.ticket(), StandardCharsets.UTF_8));
    }
    return b.buildAsync(URI.create(url.toString()), u)
        .handle(
            (ws, err) -> {
              if (err != null) {
                throw refusal(err);
              }
              u.socket = ws;
              u.sending = CompletableFuture.completedFuture(ws);
              return u;
            })
        .thenCompose(
            x ->
                u.hello
                    .orTimeout(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .exceptionallyCompose(
                        err -> {
                          u.close();
                          return CompletableFuture.failedFuture(
                              gone("the origin sent no hello: " + err));
                        }));
  }

  /**
   * The zones the token may use, as the origin's hello said ({@code Hello.token_zones}); empty for
   * every zone.
   */
  java.util.Set<String> tokenZones() {
    return tokenZones;
  }

  /** The origin's refusal of the upgrade as the exception the relay answers with. */
  private static DomainException refusal(Throwable err) {
    Throwable t = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
    if (t instanceof WebSocketHandshakeException h) {
      int status = h.getResponse().statusCode();
      Object body = h.getResponse().body();
      io.tonearm.proto.v1.Error.Builder e = io.tonearm.proto.v1.Error.newBuilder();
      try {
        if (body instanceof String s) {
          JsonFormat.parser().ignoringUnknownFields().merge(s, e);
        } else if (body instanceof byte[] bytes) {
          JsonFormat.parser()
              .ignoringUnknownFields()
              .merge(new String(bytes, StandardCharsets.UTF_8), e);
        }
      } catch (InvalidProtocolBufferException | RuntimeException ignored) {
        // not an Error body: the status says enough
      }
      return new DomainException(
          kindOf(status),
          e.getCode().isEmpty() ? "refused" : e.getCode(),
          e.getMessage().isEmpty()
              ? "the origin refused the socket (" + status + ")"
              : e.getMessage(),
          e.getDetailsMap());
    }
    return new DomainException(
        DomainException.Kind.UNAVAILABLE, "unavailable", "the relay cannot reach the origin: " + t);
  }

  static DomainException.Kind kindOf(int status) {
    return switch (status) {
      case 400 -> DomainException.Kind.INVALID;
      case 401 -> DomainException.Kind.UNAUTHENTICATED;
      case 403 -> DomainException.Kind.FORBIDDEN;
      case 404 -> DomainException.Kind.NOT_FOUND;
      case 409 -> DomainException.Kind.CONFLICT;
      case 413 -> DomainException.Kind.TOO_LARGE;
      case 422 -> DomainException.Kind.UNPROCESSABLE;
      case 429 -> DomainException.Kind.TOO_MANY;
      case 503 -> DomainException.Kind.UNAVAILABLE;
      default -> DomainException.Kind.INTERNAL;
    };
  }

  /** True until the origin or the network ended it. */
  boolean open() {
    return !closed;
  }

  /** Commands sent and not answered yet. */
  int pending() {
    return pending.size();
  }

  /**
   * Sends {@code command} and completes with the origin's reply (unpacked from its {@code Ack}) or
   * fails with its {@code Error} as a {@link DomainException}.
   */
  CompletionStage<Message> run(io.tonearm.proto.v1.Command command) {
    if (closed) {
      return CompletableFuture.failedFuture(gone("the origin socket is closed"));
    }
    String id = Long.toString(ids.incrementAndGet());
    CompletableFuture<Message> f = new CompletableFuture<>();
    pending.put(id, f);
    ClientMessage m = ClientMessage.newBuilder().setRequestId(id).setCommand(command).build();
    ByteBuffer bytes = ByteBuffer.wrap(m.toByteArray());
    synchronized (this) {
      // One send at a time (the JDK's WebSocket refuses overlapping ones), without blocking.
      sending =
          sending
              .exceptionally(e -> socket)
              .thenCompose(ws -> ws.sendBinary(bytes, true))
              .whenComplete(
                  (ws, err) -> {
                    if (err != null) {
                      f.completeExceptionally(gone("cannot send to the origin: " + err));
                    }
                  });
    }
    f.orTimeout(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .whenComplete((r, err) -> pending.remove(id));
    return f.exceptionallyCompose(
        err ->
            CompletableFuture.failedFuture(
                err instanceof java.util.concurrent.TimeoutException
                    ? gone("the origin did not answer within " + COMMAND_TIMEOUT_MS + " ms")
                    : err));
  }

  private static DomainException gone(String why) {
    return new DomainException(DomainException.Kind.UNAVAILABLE, "unavailable", why);
  }

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    partial.write(chunk, 0, chunk.length);
    if (last) {
      byte[] all = partial.toByteArray();
      partial.reset();
      answer(all);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    ws.request(1);
    return null;
  }

  private void answer(byte[] bytes) {
    Envelope env;
    try {
      env = Envelope.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return; // not ours to judge: the origin sent it
    }
    if (env.hasHello()) {
      tokenZones = java.util.Set.copyOf(env.getHello().getTokenZonesList());
      hello.complete(this);
    } else if (env.hasAck()) {
      CompletableFuture<Message> f = pending.remove(env.getAck().getRequestId());
      if (f != null) {
        try {
          f.complete(unpack(env.getAck().getReply()));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
          f.completeExceptionally(e);
        }
      }
    } else if (env.hasError()) {
      io.tonearm.proto.v1.Error e = env.getError();
      CompletableFuture<Message> f = pending.remove(e.getRequestId());
      if (f != null) {
        f.completeExceptionally(
            new DomainException(
                DomainException.Kind.INVALID, e.getCode(), e.getMessage(), e.getDetailsMap()));
      }
    }
  }

  /** The reply inside an Ack, as a message of its own type (for the relay's own Ack). */
  static Message unpack(Any any) throws InvalidProtocolBufferException {
    String name = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    Descriptors.Descriptor d = WireTypes.REGISTRY.find(name);
    if (d == null) {
      throw new InvalidProtocolBufferException("reply of unknown type " + name);
    }
    return DynamicMessage.parseFrom(d, any.getValue());
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
    end(code, "the origin closed the relay's socket: " + code + " " + reason);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    end(-1, "the relay's socket to the origin failed: " + error);
  }

  private void end(int code, String why) {
    if (closed) {
      return;
    }
    closed = true;
    hello.completeExceptionally(gone(why));
    for (CompletableFuture<Message> f : pending.values()) {
      f.completeExceptionally(gone(why));
    }
    pending.clear();
    onClosed.accept(this, code);
  }

  /** Closes it (normal closure). */
  void close() {
    if (!closed && socket != null) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "relay done").exceptionally(e -> null);
      socket.abort();
    }
    end(1000, "closed by the relay");
  }
}
