package io.tonearm.daemon;

import static io.tonearm.daemon.testing.TestDaemons.publishPlayer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.config.RedisConfig;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.relay.OriginCommands;
import io.tonearm.daemon.testing.RedisServer;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relays end to end: a real redis-server, the origin and relays on port 0, real WebSocket clients.
 */
class RelayNodeTest {

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T t) {
    open.add(t);
    return t;
  }

  private Daemon origin(RedisConfig redis) throws Exception {
    Path d = Files.createDirectories(dir.resolve("origin"));
    return keep(Daemon.start(TestDaemons.quiet(d), redis));
  }

  private RelayNode relay(String redisUrl, Daemon origin) throws Exception {
    Path d = Files.createDirectories(dir.resolve("relay" + open.size()));
    return relay(TestDaemons.quiet(d), redisUrl, origin);
  }

  private RelayNode relay(Config c, String redisUrl, Daemon origin) throws Exception {
    RedisConfig r = RedisConfig.relay(redisUrl, "http://127.0.0.1:" + origin.port());
    return keep(RelayNode.start(c, r, new OriginCommands(r.origin(), true)));
  }

  private static String health(int port) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/health"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Waits until the relay serves and holds the origin's newest event. */
  private static void caughtUp(RelayNode relay, Daemon origin) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (relay.follower().up()
          && relay.mirror().ready()
          && relay.mirror().epoch().equals(origin.hub().epoch())
          && relay.mirror().currentSeq() == origin.hub().currentSeq()
          && relay
                  .mirror()
                  .start(
                      java.util.EnumSet.of(Topic.PLAYER),
                      io.tonearm.daemon.events.EventHub.ZoneFilter.ALL,
                      null,
                      0)
                  .seq()
              == origin.hub().currentSeq()) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(
        "relay not caught up: seq "
            + relay.mirror().currentSeq()
            + " of "
            + origin.hub().currentSeq()
            + ", ready "
            + relay.mirror().ready()
            + ", redis up "
            + relay.follower().up());
  }

  @Test
  void clientOfRelayGetsTheOriginsHelloSnapshotsAndLiveEvents() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(RedisConfig.publishTo(redis.url()));
    publishPlayer(origin, 40, 0);
    RelayNode relay = relay(redis.url(), origin);
    caughtUp(relay, origin);
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player,queue")) {
      Envelope hello = ws.next();
      assertTrue(hello.hasHello());
      assertEquals(origin.hub().epoch(), hello.getHello().getEpoch());
      assertFalse(hello.getHello().getRecovered());
      long head = hello.getHello().getSeq();
      Envelope snap = ws.next();
      assertEquals(Cause.CAUSE_SNAPSHOT, snap.getPlayer().getCause());
      assertEquals(40, snap.getPlayer().getState().getVolume());
      assertEquals(head, snap.getSeq());
      assertTrue(ws.next().getQueue().hasReplaced(), "the queue's snapshot");
      long seq = publishPlayer(origin, 41, 0);
      Envelope live = ws.nextState();
      assertEquals(seq, live.getSeq());
      assertEquals(origin.hub().event(seq).envelope(), live, "the origin's event, as it was");
    }
  }

  /** Player events the client got (seq order as received), resuming on each new connection. */
  private static final class Reader {
    final List<Long> seqs = new ArrayList<>();
    String epoch;
    long last;

    /** Connects without resume and takes the hello and the snapshot: the starting point. */
    void begin(int port) throws Exception {
      try (WsProbe ws = WsProbe.connect(port, "?topics=player")) {
        epoch = ws.next().getHello().getEpoch();
        last = ws.nextState().getSeq();
      }
    }

    /** Reads state envelopes of the player topic until {@code count} more arrived. */
    void read(int port, int count) throws Exception {
      String q = "?topics=player" + (epoch == null ? "" : "&resume=" + epoch + ":" + last);
      try (WsProbe ws = WsProbe.connect(port, q)) {
        Envelope hello = ws.next();
        assertTrue(hello.hasHello(), hello.toString());
        if (epoch != null) {
          assertTrue(hello.getHello().getRecovered(), "resumed on port " + port);
        }
        epoch = hello.getHello().getEpoch();
        int got = 0;
        while (got < count) {
          Envelope e = ws.nextState();
          if (e.getPlayer().getCause() == Cause.CAUSE_SNAPSHOT) {
            last = e.getSeq();
            continue;
          }
          seqs.add(e.getSeq());
          last = e.getSeq();
          got++;
        }
      } // a forced disconnect: the socket is dropped mid-stream
    }
  }

  /**
   * Relay a serves its sockets on io_uring (where the kernel allows it; /health says which), b on
   * epoll: the guarantees do not depend on the transport.
   */
  @Test
  void eventsReachClientsOfTwoRelaysInOrderExactlyOnceAcrossCutsAndMoves() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(RedisConfig.publishTo(redis.url()));
    publishPlayer(origin, 1, 0);
    Path ringDir = Files.createDirectories(dir.resolve("relay-uring"));
    RelayNode a =
        relay(TestDaemons.quiet(ringDir).toBuilder().ioUring(true).build(), redis.url(), origin);
    RelayNode b = relay(redis.url(), origin);
    assertTrue(
        health(a.port())
            .contains(
                "\"transport\":\""
                    + (io.netty.channel.uring.IoUring.isAvailable() ? "io_uring" : "epoll")
                    + "\""),
        health(a.port()));
    assertTrue(health(b.port()).contains("\"transport\":\"epoll\""), health(b.port()));
    caughtUp(a, origin);
    caughtUp(b, origin);
    long start = origin.hub().currentSeq();
    int total = 300;
    Reader mover = new Reader();
    Reader stayer = new Reader();
    mover.begin(a.port());
    stayer.begin(b.port());
    assertEquals(start, mover.last);
    assertEquals(start, stayer.last);
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 0; i < total; i++) {
                publishPlayer(origin, i % 100, 0);
                if (i % 10 == 0) {
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            });
    Thread stay =
        new Thread(
            () -> {
              try {
                stayer.read(b.port(), total);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    publisher.start();
    stay.start();
    int[] ports = {a.port(), b.port(), origin.port(), a.port(), b.port()};
    int per = total / ports.length;
    for (int i = 0; i < ports.length; i++) {
      mover.read(ports[i], i == ports.length - 1 ? total - per * i : per);
    }
    publisher.join();
    stay.join(30_000);
    List<Long> expected = new ArrayList<>();
    for (long s = start + 1; s <= origin.hub().currentSeq(); s++) {
      if (origin.hub().event(s).topic() == Topic.PLAYER) {
        expected.add(s);
      }
    }
    assertEquals(total, expected.size());
    assertEquals(expected, mover.seqs, "moved a, b, origin, a, b: every event once, in order");
    assertEquals(expected, stayer.seqs, "stayed on b");
  }

  @Test
  void redisRestartClosesRelayClientsWhoResumeWithoutAGap() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(RedisConfig.publishTo(redis.url()));
    publishPlayer(origin, 1, 0);
    RelayNode relay = relay(redis.url(), origin);
    caughtUp(relay, origin);
    Reader reader = new Reader();
    String epoch;
    long last;
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player")) {
      epoch = ws.next().getHello().getEpoch();
      last = ws.nextState().getSeq(); // the snapshot
      long s = publishPlayer(origin, 2, 0);
      assertEquals(s, ws.nextState().getSeq());
      last = s;
      redis.stop();
      assertEquals(4010, ws.closeCode(10), "the relay lost its feed");
      assertTrue(ws.closeReason().contains("Redis"), ws.closeReason());
    }
    List<Long> whileDown = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      whileDown.add(publishPlayer(origin, 10 + i, 0)); // the origin goes on without Redis
    }
    assertEquals(
        503,
        TestDaemons.get(relay.port(), "/ws?topics=player").statusCode(),
        "no sockets while the relay has no Redis");
    redis.startAgain(); // empty: the origin writes its history again, same epoch
    caughtUp(relay, origin);
    reader.epoch = epoch;
    reader.last = last;
    reader.read(relay.port(), 20);
    assertEquals(whileDown, reader.seqs, "what was published while Redis was away, once");
    assertEquals(origin.hub().epoch(), reader.epoch, "Redis never changes the epoch");
  }

  @Test
  void aRedisThatPausesPastTheCommandTimeoutClosesNoClientAndLosesNoEvent() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(RedisConfig.publishTo(redis.url()));
    publishPlayer(origin, 1, 0);
    RelayNode relay = relay(redis.url(), origin);
    caughtUp(relay, origin);
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player")) {
      ws.next();
      ws.nextState(); // the snapshot
      // The relay's blocking read times out while Redis answers nothing (as under a starved CPU).
      redis.pause();
      try {
        Thread.sleep(io.tonearm.daemon.relay.RedisLink.COMMAND_TIMEOUT.toMillis() + 1500);
      } finally {
        redis.resume();
      }
      long s = publishPlayer(origin, 2, 0);
      assertEquals(s, ws.nextState().getSeq(), "the socket stays and gets the next event");
      assertEquals(0, relay.mirrors().losses(), "not counted as a loss");
      assertEquals(1, relay.mirrors().retries(), "one read failed and was retried");
    }
  }

  @Test
  void aStreamTrimmedPastTheResumePointGivesSnapshots() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(RedisConfig.publishTo(redis.url()).withStream(16, 1 << 20));
    String epoch = origin.hub().epoch();
    long early = publishPlayer(origin, 5, 0);
    for (int i = 0; i < 600; i++) {
      publishPlayer(origin, i % 100, 0);
    }
    // The origin writes to Redis behind its hub: a relay started before the writes (and the trims
    // they carry) are done would read the stream's start while it still holds the early events.
    long last = origin.hub().currentSeq();
    java.util.regex.Pattern published = java.util.regex.Pattern.compile("\"published_seq\":(\\d+)");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      java.util.regex.Matcher m =
          published.matcher(TestDaemons.get(origin.port(), "/health").body());
      if (m.find() && Long.parseLong(m.group(1)) >= last) {
        break; // written in batches: the count may pass the seq asked for without stopping at it
      }
      assertTrue(System.nanoTime() < deadline, "the origin did not write every event to Redis");
      Thread.sleep(20);
    }
    RelayNode relay = relay(redis.url(), origin); // its history starts where the stream does
    caughtUp(relay, origin);
    assertTrue(relay.mirror().oldestSeq() > early + 1, "the stream was trimmed past " + early);
    try (WsProbe ws =
        WsProbe.connect(relay.port(), "?topics=player&resume=" + epoch + ":" + early)) {
      Envelope hello = ws.next();
      assertFalse(hello.getHello().getRecovered(), "not in the relay's history: snapshots");
      Envelope snap = ws.nextState();
      assertEquals(Cause.CAUSE_SNAPSHOT, snap.getPlayer().getCause());
      assertEquals(599 % 100, snap.getPlayer().getState().getVolume());
      assertEquals(hello.getHello().getSeq(), snap.getSeq());
    }
  }

  @Test
  void redisDownAtStartTheOriginWorksAndRelaysServeOnceItAnswers() throws Exception {
    int port = RedisServer.freePort();
    String url = "redis://127.0.0.1:" + port;
    Daemon origin = origin(RedisConfig.publishTo(url));
    long s = publishPlayer(origin, 44, 0);
    assertEquals(200, TestDaemons.get(origin.port(), "/api/v1/player").statusCode());
    RelayNode relay = relay(url, origin);
    assertEquals(503, TestDaemons.get(relay.port(), "/ws?topics=player").statusCode());
    assertTrue(TestDaemons.get(relay.port(), "/health").body().contains("\"unavailable\""));
    RedisServer redis = keep(RedisServer.onPort(port));
    caughtUp(relay, origin);
    assertTrue(TestDaemons.get(relay.port(), "/health").body().contains("\"status\":\"ok\""));
    try (WsProbe ws =
        WsProbe.connect(relay.port(), "?topics=player&resume=" + origin.hub().epoch() + ":0")) {
      assertTrue(ws.next().getHello().getRecovered(), "the whole history reached Redis");
      assertEquals(s, ws.nextWhere(e -> e.getSeq() == s).getSeq());
    }
    assertEquals(redis.port(), port);
  }

  @Test
  void framesOfAViewWatchedOnARelayAreRenderedAtTheOriginAndReachItsClients() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(RedisConfig.publishTo(redis.url()));
    java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
    origin
        .frames()
        .register(
            Topic.TRANSPORT,
            new io.tonearm.daemon.events.FrameSource() {
              @Override
              public io.tonearm.proto.v1.FrameView normalize(io.tonearm.proto.v1.FrameView r) {
                return io.tonearm.daemon.player.TransportView.normalize(r, 10);
              }

              @Override
              public Envelope.Builder render(io.tonearm.proto.v1.FrameView view, long now) {
                return Envelope.newBuilder()
                    .setTransport(
                        io.tonearm.proto.v1.TransportFrame.newBuilder()
                            .setItemId("q1")
                            .setFramesPlayed(n.incrementAndGet()));
              }
            });
    RelayNode relay = relay(redis.url(), origin);
    caughtUp(relay, origin);
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=transport&fps=20")) {
      assertTrue(ws.next().hasHello());
      long last = 0;
      for (int i = 0; i < 10; i++) {
        Envelope f = ws.nextWhere(Envelope::hasTransport);
        assertEquals("q1", f.getTransport().getItemId());
        assertEquals(origin.hub().epoch(), f.getEpoch());
        assertFalse(f.getStream().isEmpty());
        assertTrue(f.getTransport().getFramesPlayed() > last, "newest first, never older");
        last = f.getTransport().getFramesPlayed();
      }
    }
  }
}
