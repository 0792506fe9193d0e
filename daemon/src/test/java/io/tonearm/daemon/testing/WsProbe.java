package io.tonearm.daemon.testing;

import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that collects the envelopes it receives, for tests. */
public final class WsProbe implements WebSocket.Listener, AutoCloseable {

  private final BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final StringBuilder text = new StringBuilder();
  private final java.util.List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private volatile String closeReason = "";
  private WebSocket socket;

  private WsProbe() {}

  /** Connects to {@code ws://127.0.0.1:port/ws?query}. */
  public static WsProbe connect(int port, String query) throws Exception {
    WsProbe p = new WsProbe();
    p.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws" + query), p)
            .get(10, TimeUnit.SECONDS);
    return p;
  }

  /**
   * Connects with a bearer token ({@code Authorization}, null for none) and the subprotocols
   * offered (none for none).
   */
  public static WsProbe connect(int port, String query, String bearer, String... subprotocols)
      throws Exception {
    WsProbe p = new WsProbe();
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    b.connectTimeout(Duration.ofSeconds(5));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (subprotocols.length > 0) {
      b.subprotocols(
          subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    p.socket =
        b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws" + query), p)
            .get(10, TimeUnit.SECONDS);
    return p;
  }

  /** The subprotocol the daemon selected ("" for none). */
  public String subprotocol() {
    return socket.getSubprotocol();
  }

  /** The next envelope, waiting up to 10 s; fails the test when none comes. */
  public Envelope next() throws InterruptedException {
    Envelope e = received.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no envelope within 10 s");
    }
    return e;
  }

  /** The next envelope within {@code millis}, or null. */
  public Envelope poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** The next envelope that passes {@code test}, skipping others. */
  public Envelope nextWhere(java.util.function.Predicate<Envelope> test)
      throws InterruptedException {
    while (true) {
      Envelope e = next();
      if (test.test(e)) {
        return e;
      }
    }
  }

  /** The next state-lane envelope (seq > 0), skipping frames and control messages. */
  public Envelope nextState() throws InterruptedException {
    while (true) {
      Envelope e = next();
      if (e.getSeq() > 0 && e.getStream().isEmpty()) {
        return e;
      }
    }
  }

  /** Every JSON text message received so far, as sent, in order (for {@code format=json}). */
  public java.util.List<String> texts() {
    return texts;
  }

  public void send(ClientMessage m) {
    socket.sendBinary(ByteBuffer.wrap(m.toByteArray()), true).join();
  }

  public void sendRaw(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  public void sendText(String s) {
    socket.sendText(s, true).join();
  }

  /** The close code the server sent, waiting up to {@code seconds}. */
  public int closeCode(int seconds) throws Exception {
    return closed.get(seconds, TimeUnit.SECONDS);
  }

  public String closeReason() {
    return closeReason;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    partial.write(b, 0, b.length);
    if (last) {
      try {
        received.add(Envelope.parseFrom(partial.toByteArray()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      partial.reset();
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      Envelope.Builder b = Envelope.newBuilder();
      try {
        com.google.protobuf.util.JsonFormat.parser()
            .usingTypeRegistry(io.tonearm.daemon.events.WireTypes.REGISTRY)
            .merge(text.toString(), b);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      texts.add(text.toString());
      received.add(b.build());
      text.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeReason = reason;
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.complete(-1);
  }

  @Override
  public void close() {
    socket.abort();
  }
}
