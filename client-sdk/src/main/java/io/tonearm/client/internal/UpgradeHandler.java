package io.tonearm.client.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket opening handshake of one event socket (RFC 6455 section 4.1), written out instead
 * of Netty's HTTP client codec, object aggregator and client protocol handler: a stream connects
 * once per resume, so this code runs in the interpreter for the first hundreds of resumes of an
 * application, and those three load, run and compile several hundred methods for one request and
 * one response. Here the request is one buffer, and the answer is checked as Netty's handshaker
 * checks it (status 101, {@code Upgrade: websocket}, {@code Connection} with {@code upgrade},
 * {@code Sec-WebSocket-Accept} from this request's key). Then Netty's WebSocket frame encoder and
 * decoder take this handler's place, and the bytes that came after the answer go to the decoder.
 *
 * <p>A failed handshake reaches the next handlers as an exception: a {@link Refused} for an answer
 * other than 101 (with its status, so that a 4xx ends the stream for good), a {@link
 * WebSocketHandshakeException} otherwise; no answer within the handshake timeout as Netty's {@link
 * ClientHandshakeStateEvent#HANDSHAKE_TIMEOUT}. Event loop only; one per connection.
 */
final class UpgradeHandler extends ByteToMessageDecoder {

  /** RFC 6455 section 1.3: appended to the key before the SHA-1 of the accept value. */
  private static final byte[] GUID =
      "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

  /** The blank line that ends an HTTP head. */
  private static final ByteBuf END =
      Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'}));

  /** An answer's head longer than this is refused (Netty's aggregator had the same bound). */
  static final int MAX_HEAD_BYTES = 64 << 10;

  /** The daemon answered the upgrade with another status than 101. */
  static final class Refused extends WebSocketHandshakeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status of the answer. */
    final int status;

    Refused(int status, String statusLine) {
      super("Invalid handshake response getStatus: " + statusLine);
      this.status = status;
    }
  }

  private final byte[] requestHead;
  private final byte[] requestTail;
  private final long handshakeMillis;
  private final WebSocketDecoderConfig decoderConfig;
  private String expectedAccept;
  private ScheduledFuture<?> timeout;
  private boolean failed;

  /**
   * @param uri the {@code ws} or {@code wss} URI with its path and query
   * @param token sent as {@code Authorization: Bearer}; null for none
   * @param maxMessageBytes the largest frame payload the decoder accepts
   * @param handshakeMillis how long the answer may take; 0 for no limit
   */
  UpgradeHandler(URI uri, String token, int maxMessageBytes, long handshakeMillis) {
    boolean tls = "wss".equals(uri.getScheme());
    int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      path += "?" + uri.getRawQuery();
    }
    String hostPort = uri.getHost() + ':' + port;
    // The same headers as Netty's handshaker (the daemon's origin check sees its own origin).
    StringBuilder head = new StringBuilder(256).append("GET ").append(path).append(" HTTP/1.1\r\n");
    if (token != null) {
      head.append("authorization: Bearer ").append(token).append("\r\n");
    }
    head.append("host: ").append(hostPort).append("\r\n");
    head.append("upgrade: websocket\r\nconnection: upgrade\r\nsec-websocket-key: ");
    this.requestHead = head.toString().getBytes(StandardCharsets.US_ASCII);
    this.requestTail =
        ("\r\norigin: "
                + (tls ? "https://" : "http://")
                + hostPort
                + "\r\nsec-websocket-version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    this.handshakeMillis = handshakeMillis;
    this.decoderConfig =
        WebSocketDecoderConfig.newBuilder()
            .expectMaskedFrames(false)
            .allowExtensions(false)
            .allowMaskMismatch(false)
            .maxFramePayloadLength(maxMessageBytes)
            .build();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    expectedAccept = acceptFor(key);
    ByteBuf req = ctx.alloc().buffer(requestHead.length + key.length() + requestTail.length);
    req.writeBytes(requestHead).writeCharSequence(key, StandardCharsets.US_ASCII);
    req.writeBytes(requestTail);
    ctx.writeAndFlush(req, ctx.voidPromise());
    if (handshakeMillis > 0) {
      timeout =
          ctx.executor()
              .schedule(
                  () -> {
                    if (!failed && ctx.channel().isActive()) {
                      failed = true;
                      ctx.fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT);
                    }
                  },
                  handshakeMillis,
                  TimeUnit.MILLISECONDS);
    }
    super.channelActive(ctx);
  }

  /**
   * One SHA-1 per thread: the provider lookup of {@code MessageDigest.getInstance} is most of what
   * the accept value costs while a connect runs in the interpreter.
   */
  private static final ThreadLocal<MessageDigest> SHA1 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
            }
          });

  /** The {@code Sec-WebSocket-Accept} value a server must answer {@code key} with. */
  static String acceptFor(String key) {
    MessageDigest sha1 = SHA1.get();
    sha1.reset();
    sha1.update(key.getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encodeToString(sha1.digest(GUID));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int end = ByteBufUtil.indexOf(END, in);
    if (end < 0) {
      if (in.readableBytes() > MAX_HEAD_BYTES) {
        fail(ctx, new WebSocketHandshakeException("handshake response longer than 64 KiB"));
      }
      return;
    }
    String head =
        in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
    in.readerIndex(end + END.readableBytes());
    RuntimeException wrong = check(head, expectedAccept);
    if (wrong != null) {
      fail(ctx, wrong);
      return;
    }
    if (timeout != null) {
      timeout.cancel(false);
    }
    // The encoder nearer the socket than the decoder: the decoder's close frames pass it.
    String name = ctx.name();
    ctx.pipeline().addAfter(name, "ws-encoder", new WebSocket13FrameEncoder(true));
    ctx.pipeline().addAfter("ws-encoder", "ws-decoder", new WebSocket13FrameDecoder(decoderConfig));
    // Removing a ByteToMessageDecoder passes what it still holds (frames after the answer) on.
    ctx.pipeline().remove(this);
  }

  /**
   * What is wrong with the answer's head (status line and headers, without the blank line), or null
   * when it accepts the upgrade this request asked for.
   */
  static RuntimeException check(String head, String expectedAccept) {
    String[] lines = head.split("\r\n");
    String status = lines[0];
    int code = -1;
    if (status.startsWith("HTTP/1.") && status.length() >= 12 && status.charAt(8) == ' ') {
      try {
        code = Integer.parseInt(status.substring(9, 12));
      } catch (NumberFormatException e) {
        code = -1;
      }
    }
    if (code < 0) {
      return new WebSocketHandshakeException("not an HTTP response: " + status);
    }
    if (code != 101) {
      return new Refused(code, status.substring(9));
    }
    String upgrade = null;
    String accept = null;
    boolean connectionUpgrade = false;
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      int colon = l.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = l.substring(colon + 1).trim();
      switch (name) {
        case "upgrade" -> upgrade = value;
        case "sec-websocket-accept" -> accept = value;
        case "connection" -> {
          for (String token : value.split(",")) {
            connectionUpgrade |= token.trim().equalsIgnoreCase("upgrade");
          }
        }
        default -> {}
      }
    }
    if (!"websocket".equalsIgnoreCase(upgrade)) {
      return new WebSocketHandshakeException("Invalid handshake response upgrade: " + upgrade);
    }
    if (!connectionUpgrade) {
      return new WebSocketHandshakeException("Invalid handshake response connection");
    }
    if (!expectedAccept.equals(accept)) {
      return new WebSocketHandshakeException(
          "Invalid challenge. Actual: " + accept + ". Expected: " + expectedAccept);
    }
    return null;
  }

  private void fail(ChannelHandlerContext ctx, RuntimeException e) {
    failed = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    ctx.fireExceptionCaught(e);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }
}
