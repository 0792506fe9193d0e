package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.ops.Metrics;
import io.tonearm.proto.v1.VolumeRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HttpDispatchHandlerTest {

  private final CompletableFuture<ApiResponse> slow = new CompletableFuture<>();
  private final Router router =
      new Router()
          .get("/api/v1/slow", r -> slow)
          .post(
              "/api/v1/volume",
              r -> {
                VolumeRequest v = r.parse(VolumeRequest.newBuilder()).build();
                if (v.getVolume() > 100) {
                  throw ApiException.outOfRange("volume", v.getVolume(), "0 to 100");
                }
                return CompletableFuture.completedFuture(ApiResponse.ok(v));
              });
  private final EmbeddedChannel ch =
      new EmbeddedChannel(
          new HttpDispatchHandler(
              new HttpContext(
                  router,
                  new Metrics(),
                  new StaticFiles(),
                  () -> new byte[] {(byte) 123, (byte) 125},
                  null)));

  private static FullHttpRequest post(String uri, String body) {
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            uri,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    return r;
  }

  private String readBody(int expectedStatus) {
    FullHttpResponse r = ch.readOutbound();
    try {
      assertEquals(expectedStatus, r.status().code());
      return r.content().toString(StandardCharsets.UTF_8);
    } finally {
      r.release();
    }
  }

  @Test
  void routesToTheHandlerAndAnswersInJson() {
    ch.writeInbound(post("/api/v1/volume", "{\"volume\": 30}"));
    assertEquals("{\"volume\":30}", readBody(200));
  }

  @Test
  void apiExceptionsBecomeStructuredErrors() {
    ch.writeInbound(post("/api/v1/volume", "{\"volume\": 300}"));
    String body = readBody(422);
    assertTrue(body.contains("\"code\":\"out_of_range\""), body);
    assertTrue(body.contains("\"field\":\"volume\""), body);
  }

  @Test
  void answersPipelinedRequestsInArrivalOrder() {
    ch.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/slow"));
    ch.writeInbound(post("/api/v1/volume", "{\"volume\": 5}"));
    assertNull(ch.readOutbound(), "the second answer waits for the first");
    slow.complete(ApiResponse.ok(VolumeRequest.newBuilder().setVolume(1).build()));
    ch.runPendingTasks();
    assertEquals("{\"volume\":1}", readBody(200));
    ch.runPendingTasks();
    assertEquals("{\"volume\":5}", readBody(200));
  }
}
