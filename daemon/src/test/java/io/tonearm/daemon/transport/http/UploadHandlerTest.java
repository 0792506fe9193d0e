package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tonearm.daemon.library.Uploads;
import org.junit.jupiter.api.Test;

class UploadHandlerTest {

  @Test
  void aRequestMadeWholeAtTheDecoderLosesTheSpoolHeaderAClientSent() {
    EmbeddedChannel ch = new EmbeddedChannel(new UploadHandler(null, null, null));
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/x", Unpooled.EMPTY_BUFFER);
    r.headers().set(Uploads.SPOOL_HEADER, "u1");
    ch.writeInbound(r);
    FullHttpRequest out = ch.readInbound();
    assertFalse(out.headers().contains(Uploads.SPOOL_HEADER));
    out.release();
    ch.finishAndReleaseAll();
  }
}
