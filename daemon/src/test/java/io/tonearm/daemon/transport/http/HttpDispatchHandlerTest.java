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
import io.tonearm.daemon.events.WakeHold;
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
          .get(
              "/api/v1/broken",
              r -> {
                throw new NoClassDefFoundError("io/tonearm/Missing"); // as a jar without a class
              })
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
  void aCommandsReplyIsWrittenBeforeTheFanOutOfItsEventsIsWoken() {
    WakeHold wakes = new WakeHold();
    CompletableFuture<ApiResponse> command = new CompletableFuture<>();
    int[] repliesWrittenAtWake = {-1};
    Runnable[] ownerTask = new Runnable[1];
    EmbeddedChannel c =
        new EmbeddedChannel(
            new HttpDispatchHandler(
                new HttpContext(
                    new Router()
                        .post(
                            "/api/v1/cmd",
                            r -> {
                              // As the player takes a command: its task is wrapped here, on the
                              // loop, and later publishes (the fan-out asks for a wake-up) and
                              // completes the reply.
                              ownerTask[0] =
                                  wakes.holding(
                                      () -> {
                                        wakes.wake(
                                            () ->
                                                repliesWrittenAtWake[0] =
                                                    c().outboundMessages().size());
                                        command.complete(
                                            ApiResponse.ok(
                                                VolumeRequest.newBuilder().setVolume(7).build()));
                                      });
                              return command;
                            }),
                    new Metrics(),
                    new StaticFiles(),
                    () -> new byte[0],
                    null,
                    null,
                    wakes)));
    commandChannel = c;
    c.writeInbound(post("/api/v1/cmd", "{}"));
    ownerTask[0].run();
    c.runPendingTasks();
    assertEquals(1, repliesWrittenAtWake[0], "the fan-out was woken before the reply was written");
    FullHttpResponse r = c.readOutbound();
    assertEquals(200, r.status().code());
    r.release();
    c.finishAndReleaseAll();
  }

  private EmbeddedChannel commandChannel;

  private EmbeddedChannel c() {
    return commandChannel;
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

  @Test
  void aHandlerThatThrowsAnErrorGetsA500AndTheConnectionGoesOn() {
    ch.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/broken"));
    ch.runPendingTasks();
    assertTrue(readBody(500).contains("\"code\":\"internal\""));
    assertTrue(ch.isOpen(), "kept alive: the next request is answered");
    ch.writeInbound(post("/api/v1/volume", "{\"volume\": 5}"));
    ch.runPendingTasks();
    assertEquals("{\"volume\":5}", readBody(200));
  }

  /** A reply holding one wake-up, which counts into {@code woken[0]} when let go. */
  private static WakeHold.Reply replyHolding(int[] woken) {
    WakeHold wakes = new WakeHold();
    WakeHold.Reply reply = wakes.open();
    wakes.wake(() -> woken[0]++);
    reply.stopOpening();
    return reply;
  }

  /** On io_uring a reply's write is only queued when writeAndFlush returns: its events wait. */
  @Test
  void aQueuedReplyHoldsItsEventsUntilItsWriteCompletes() {
    int[] woken = {0};
    WakeHold.Reply reply = replyHolding(woken);
    io.netty.channel.ChannelPromise write = ch.newPromise();
    ch.freezeTime(); // the 2 ms bound runs on the test's clock only, not on the machine's
    HttpDispatchHandler.fanOutAfter(write, reply::release, ch.eventLoop());
    ch.runPendingTasks();
    assertEquals(0, woken[0], "not before the reply's write is done");
    write.setSuccess();
    assertEquals(1, woken[0]);
    ch.advanceTimeBy(
        HttpDispatchHandler.REPLY_HOLD_MAX_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(1, woken[0], "once");
  }

  /** A reply that cannot be written (a client that reads nothing) holds the others 2 ms at most. */
  @Test
  void aStuckReplyLetsItsEventsGoAfterTheBound() {
    int[] woken = {0};
    WakeHold.Reply reply = replyHolding(woken);
    io.netty.channel.ChannelPromise write = ch.newPromise();
    ch.freezeTime(); // the 2 ms bound runs on the test's clock only, not on the machine's
    HttpDispatchHandler.fanOutAfter(write, reply::release, ch.eventLoop());
    ch.advanceTimeBy(
        HttpDispatchHandler.REPLY_HOLD_MAX_MS - 1, java.util.concurrent.TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(0, woken[0]);
    ch.advanceTimeBy(1, java.util.concurrent.TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(1, woken[0]);
    write.setFailure(new java.io.IOException("reset"));
    assertEquals(1, woken[0], "once");
  }

  /** On epoll the flush has written the reply: its events go at once. */
  @Test
  void aWrittenReplyLetsItsEventsGoAtOnce() {
    int[] woken = {0};
    WakeHold.Reply reply = replyHolding(woken);
    HttpDispatchHandler.fanOutAfter(ch.newSucceededFuture(), reply::release, ch.eventLoop());
    assertEquals(1, woken[0]);
  }

  @Test
  void aStaticFileNamedByAWeakTagInAListIs304WithItsValidatorsAndNoLength() {
    ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    FullHttpResponse page = ch.readOutbound();
    String etag = page.headers().get(HttpHeaderNames.ETAG);
    page.release();
    FullHttpRequest again = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    again.headers().set(HttpHeaderNames.IF_NONE_MATCH, "\"other\", W/" + etag);
    ch.writeInbound(again);
    FullHttpResponse r = ch.readOutbound();
    try {
      assertEquals(304, r.status().code());
      assertEquals(etag, r.headers().get(HttpHeaderNames.ETAG));
      assertEquals("no-cache", r.headers().get(HttpHeaderNames.CACHE_CONTROL));
      // RFC 9110 section 8.6: a 304's Content-Length may only be the 200's length.
      assertNull(r.headers().get(HttpHeaderNames.CONTENT_LENGTH));
      assertEquals(0, r.content().readableBytes());
    } finally {
      r.release();
    }
  }
}
