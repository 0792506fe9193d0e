package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GateHandlerTest {

  private final EmbeddedChannel ch =
      new EmbeddedChannel(
          new GateHandler(new OriginPolicy(Set.of()), HostNames.forBind("127.0.0.1", Set.of())));

  private static FullHttpRequest request(HttpMethod m, String uri, String origin) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, m, uri);
    r.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
    if (origin != null) {
      r.headers().set(HttpHeaderNames.ORIGIN, origin);
    }
    return r;
  }

  private int refusedWith(FullHttpRequest r) {
    ch.writeInbound(r);
    FullHttpResponse resp = ch.readOutbound();
    assertNull(ch.readInbound(), "refused requests go no further");
    int status = resp.status().code();
    resp.release();
    return status;
  }

  @Test
  void foreignOriginIs403() {
    assertEquals(
        403, refusedWith(request(HttpMethod.GET, "/ws?topics=player", "http://evil.example")));
    assertEquals(403, refusedWith(request(HttpMethod.POST, "/api/v1/player/play", "https://x.y")));
  }

  @Test
  void preflightFromLoopbackOriginGetsCorsHeaders() {
    ch.writeInbound(request(HttpMethod.OPTIONS, "/api/v1/player/play", "http://localhost:3000"));
    FullHttpResponse resp = ch.readOutbound();
    assertEquals(204, resp.status().code());
    assertEquals(
        "http://localhost:3000", resp.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
    // A cross-origin client with a token sends Authorization, which is not a CORS-safelisted
    // request header (Fetch standard): the preflight must name it or the browser refuses.
    String allowed = resp.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS);
    assertTrue(allowed.contains("authorization"), allowed);
    assertTrue(allowed.contains("content-type"), allowed);
    resp.release();
  }

  @Test
  void malformedSocketUrlIs400() {
    assertEquals(400, refusedWith(request(HttpMethod.GET, "/ws?topics=bogus", null)));
  }

  @Test
  void acceptableRequestsPassUnchanged() {
    FullHttpRequest r = request(HttpMethod.GET, "/health", "http://127.0.0.1:7700");
    ch.writeInbound(r);
    FullHttpRequest passed = ch.readInbound();
    assertSame(r, passed);
    passed.release();
  }

  @Test
  void foreignHostIs421AndTheDaemonsOwnOriginPasses() {
    FullHttpRequest r = request(HttpMethod.GET, "/api/v1/player", null);
    r.headers().set(HttpHeaderNames.HOST, "rebound.evil.example:7700");
    assertEquals(421, refusedWith(r));
    FullHttpRequest own = request(HttpMethod.POST, "/api/v1/player/play", "http://127.0.0.1:7700");
    own.headers().set(HttpHeaderNames.HOST, "127.0.0.1:7700");
    ch.writeInbound(own);
    FullHttpRequest passed = ch.readInbound();
    assertSame(own, passed);
    passed.release();
  }

  @Test
  void anHttp11RequestWithoutOneHostIs400() {
    FullHttpRequest none = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    assertEquals(400, refusedWith(none));
    FullHttpRequest two = request(HttpMethod.GET, "/", null);
    two.headers().add(HttpHeaderNames.HOST, "rebound.evil.example");
    assertEquals(400, refusedWith(two));
    FullHttpRequest listed = request(HttpMethod.GET, "/", null);
    listed.headers().set(HttpHeaderNames.HOST, "127.0.0.1, rebound.evil.example");
    assertEquals(400, refusedWith(listed));
    FullHttpRequest old = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/");
    ch.writeInbound(old);
    assertNull(ch.readOutbound(), "an HTTP/1.0 request may leave Host out");
    ((FullHttpRequest) ch.readInbound()).release();
  }
}
