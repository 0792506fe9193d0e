package io.tonearm.daemon.transport.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.tonearm.daemon.output.HttpStreamOutput;
import io.tonearm.daemon.output.StreamListener;

/**
 * {@code GET /stream}: a chunked response that carries the stream output's bytes, in the format
 * chosen ({@link StreamChoice}), for as long as the client reads them. {@code
 * X-Tonearm-Stream-Format} names the format and {@code X-Tonearm-Stream-Latency-Ms} the most the
 * format's encoder delays a sample between its playing and its bytes being sent (0 for WAV: no
 * encoder; see {@link HttpStreamOutput#latencyMillis}), so that a visualizer can add it to the
 * analysis frames' presentation times. A client that stops reading is dropped by the stream output
 * when its buffer fills; the connection is not reused after the stream.
 */
final class AudioStreamResponder {

  private AudioStreamResponder() {}

  /** Starts streaming on {@code ch}; returns false when the stream refused another client. */
  static boolean start(Channel ch, HttpStreamOutput stream, String origin, StreamChoice choice) {
    HttpStreamOutput.Client client;
    try {
      client =
          stream.attach(
              new StreamListener() {
                @Override
                public boolean onChunk(byte[] chunk) {
                  if (!ch.isActive()) {
                    return true; // dropped below when the close is seen
                  }
                  if (!ch.isWritable()) {
                    return false;
                  }
                  ch.writeAndFlush(
                      new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)), ch.voidPromise());
                  return true;
                }

                @Override
                public void onClose(String reason) {
                  ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                      .addListener(ChannelFutureListener.CLOSE);
                }
              },
              choice.format());
    } catch (IllegalStateException full) {
      return false;
    }
    ch.writeAndFlush(head(stream, origin, choice));
    ch.closeFuture().addListener(f -> client.detach());
    return true;
  }

  /**
   * {@code HEAD /stream}: the head a GET would get (RFC 9110 section 9.3.2), with no body, no
   * listener attached, and the connection closed after it as after a stream.
   */
  static void answerHead(Channel ch, HttpStreamOutput stream, String origin, StreamChoice choice) {
    ch.write(head(stream, origin, choice));
    ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
  }

  private static HttpResponse head(HttpStreamOutput stream, String origin, StreamChoice choice) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, choice.format().contentType());
    head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    head.headers().set("X-Tonearm-Stream-Format", choice.name());
    head.headers()
        .set("X-Tonearm-Stream-Latency-Ms", Long.toString(stream.latencyMillis(choice.format())));
    head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    HttpUtil.setTransferEncodingChunked(head, true);
    Cors.allow(head, origin);
    return head;
  }
}
