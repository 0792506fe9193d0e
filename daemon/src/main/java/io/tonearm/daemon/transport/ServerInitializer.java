package io.tonearm.daemon.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.transport.http.GateHandler;
import io.tonearm.daemon.transport.http.HttpContext;
import io.tonearm.daemon.transport.http.HttpDispatchHandler;
import io.tonearm.daemon.transport.http.PacedRequestDecoder;
import io.tonearm.daemon.transport.http.PacedResponseEncoder;
import io.tonearm.daemon.transport.http.UploadHandler;
import io.tonearm.daemon.transport.ws.ClosingProtocolHandler;
import io.tonearm.daemon.transport.ws.ReplyBacklogHandler;
import io.tonearm.daemon.transport.ws.WsContext;
import io.tonearm.daemon.transport.ws.WsHandler;
import io.tonearm.daemon.transport.ws.WsOnDemandHandler;

/**
 * The whole pipeline of a connection, in order. HTTP requests run the full length and end in the
 * dispatcher; a request to {@code /ws} that passes the gate puts the WebSocket handlers in their
 * place ({@link WsOnDemandHandler}) and is upgraded, after which WebSocket frames end in the {@link
 * WsHandler}.
 */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {

  private static final String WS_PATH = "/ws";

  private final Config config;
  private final ConnectionLimitHandler limit;
  private final GateHandler gate;
  private final WsContext ws;
  private final HttpContext http;
  private final WebSocketServerProtocolConfig wsConfig;
  private final SslContext tls;

  ServerInitializer(
      Config config,
      ConnectionLimitHandler limit,
      GateHandler gate,
      WsContext ws,
      HttpContext http,
      SslContext tls) {
    this.tls = tls;
    this.config = config;
    this.limit = limit;
    this.gate = gate;
    this.ws = ws;
    this.http = http;
    this.wsConfig =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(WS_PATH)
            .checkStartsWith(true)
            // Selected when offered, so that a browser offering it beside its token
            // (tonearm.bearer.<token>) gets a subprotocol back and the secret is never echoed.
            .subprotocols(io.tonearm.daemon.transport.http.Authentication.PROTOCOL)
            .handshakeTimeoutMillis(config.handshakeTimeoutMillis())
            .dropPongFrames(false)
            // Close frames are the WsHandler's to send, each with its code: the decoder reports a
            // violation as an exception carrying the code, and a plain close() sends nothing of
            // its own (it would send 1000 whatever the reason).
            .sendCloseFrame(null)
            .decoderConfig(WsHandler.decoderConfig(config.maxFrameBytes()))
            .build();
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    QuietLoops.keepAsleep(ch.eventLoop());
    int chunk = 8192;
    PacedRequestDecoder decoder =
        new PacedRequestDecoder(
            new HttpDecoderConfig()
                .setMaxInitialLineLength(4096)
                .setMaxHeaderSize(config.maxHeaderBytes())
                .setMaxChunkSize(chunk),
            config.maxPipelined(),
            config.connections().headerTimeoutMillis(),
            () -> http.metrics().refused("header_timeout"),
            Math.min(chunk, config.maxBodyBytes())); // small requests whole, past the aggregator
    ch.pipeline().addLast("limit", limit); // a refused connection costs no TLS handshake
    if (tls != null) {
      // HTTPS and WSS on the same port: everything after this handler is the same.
      ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
    }
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(config.idleSeconds(), 0, 0))
        // The encoder before the decoder: the upgrade puts the WebSocket encoder in the encoder's
        // place and the WebSocket decoder in the decoder's, and the decoder's close frames must
        // pass the encoder on their way out.
        // Without TLS nothing in front of the encoder changes a write (the connection limit and
        // the read-idle timer pass them on), so the dispatcher's replies may go straight to the
        // socket (PacedResponseEncoder.writeReply).
        .addLast("http-out", new PacedResponseEncoder(decoder, tls == null))
        .addLast("http", decoder);
    if (http.uploads() != null) {
      // Before the aggregator: an upload's body goes to a file, not into one buffer.
      ch.pipeline().addLast("upload", new UploadHandler(http.uploads(), gate, http));
    }
    ch.pipeline()
        .addLast("aggregate", new HttpObjectAggregator(config.maxBodyBytes(), true))
        .addLast("gate", gate)
        // Before the upgrade handler: the pongs it writes to the client's pings pass here.
        .addLast(
            "replies",
            new ReplyBacklogHandler(config.connections().maxPendingReplies(), http.metrics()))
        // The WebSocket handlers join at the first request for /ws: the others do not pass them.
        .addLast("ws", new WsOnDemandHandler(WS_PATH, this::addWebSocket))
        .addLast("dispatch", new HttpDispatchHandler(http));
  }

  /** The WebSocket handlers, in the place of "ws" (after "replies", before "dispatch"). */
  private void addWebSocket(ChannelPipeline p) {
    p.addBefore("dispatch", "upgrade", new ClosingProtocolHandler(wsConfig))
        .addBefore("dispatch", "messages", new WebSocketFrameAggregator(config.maxFrameBytes()))
        .addBefore("dispatch", "socket", new WsHandler(ws));
  }
}
