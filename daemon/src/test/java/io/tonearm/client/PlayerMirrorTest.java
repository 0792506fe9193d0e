package io.tonearm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.RepeatMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mirror against the real daemon: it must equal what the daemon answers to GET. */
class PlayerMirrorTest {

  @TempDir Path dir;

  private Daemon daemon;
  private TonearmClient client;

  @BeforeEach
  void start() throws Exception {
    for (int i = 0; i < 4; i++) {
      TestMusic.wav(dir.resolve("t" + i + ".wav"), 2);
    }
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    client =
        TonearmClient.builder()
            .baseUri(URI.create("http://127.0.0.1:" + daemon.port()))
            .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    daemon.close();
  }

  @Test
  void mirrorEqualsTheDaemonAfterAThousandRandomCommandsFromThreeClients() throws Exception {
    AtomicInteger playerChanges = new AtomicInteger();
    try (PlayerMirror mirror =
        client.mirror(
            new MirrorListener() {
              @Override
              public void onPlayer(PlayerMirror m, io.tonearm.proto.v1.PlayerState s) {
                playerChanges.incrementAndGet();
              }
            })) {
      client.queue().replace(List.of("t0.wav", "t1.wav", "t2.wav"), List.of()).execute();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<Long>> done = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        TonearmClient own = client.newBuilder().build();
        long seed = 42 + c;
        int count = c == 0 ? 334 : 333;
        done.add(pool.submit(() -> randomCommands(own, new Random(seed), count)));
      }
      long last = 0;
      for (Future<Long> f : done) {
        last = Math.max(last, f.get());
      }
      pool.shutdown();
      PlayerReply stopped = client.player().stop().execute();
      // A stop of a stopped player changes nothing: its seq is then the newest player event's,
      // which the mirror follows (never the commands-topic event that came after it).
      last = Math.max(last, stopped.getSeq());

      assertTrue(mirror.awaitSeq(last, Duration.ofSeconds(20)), "mirror reached seq " + last);
      PlayerReply truth = client.player().state().execute();
      // GET stamps the position model with the time of the request; everything else must match.
      assertEquals(unstamped(truth.getState()), unstamped(mirror.player()));
      assertEquals(
          truth.getState().getPosition().getPositionUs(),
          mirror.player().getPosition().getPositionUs());
      // Every item whole, the format and length learned when an item was opened included.
      assertEquals(client.queue().get().execute().getQueue().getItemsList(), mirror.queue());
      // The outputs whole, the open and clock flags the engine changes included.
      assertEquals(client.outputs().list().execute().getState(), mirror.outputs());
      // The daemon's seq also counts the commands topic, which the mirror does not follow.
      assertTrue(mirror.seq() >= last && mirror.seq() <= truth.getSeq(), mirror.seq() + " " + last);
      assertTrue(playerChanges.get() > 100, "listener heard " + playerChanges.get());
    }
  }

  private static io.tonearm.proto.v1.PlayerState unstamped(io.tonearm.proto.v1.PlayerState s) {
    return s.toBuilder().setPosition(s.getPosition().toBuilder().clearServerTimeUs()).build();
  }

  /** Sends {@code n} random commands; returns the highest seq a reply carried. */
  private static long randomCommands(TonearmClient c, Random rnd, int n) {
    long max = 0;
    for (int i = 0; i < n; i++) {
      try {
        long seq =
            switch (rnd.nextInt(14)) {
              case 0 -> c.player().volume(rnd.nextInt(101)).execute().getSeq();
              case 1 -> c.player().mute(rnd.nextBoolean()).execute().getSeq();
              case 2 -> c.player().shuffle(rnd.nextBoolean()).execute().getSeq();
              case 3 -> c.player().single(rnd.nextBoolean()).execute().getSeq();
              case 4 -> c.player().consume(false).execute().getSeq();
              case 5 -> c.player().repeat(RepeatMode.forNumber(rnd.nextInt(3))).execute().getSeq();
              case 6 -> c.player().play().execute().getSeq();
              case 7 -> c.player().pause().execute().getSeq();
              case 8 -> c.player().toggle().execute().getSeq();
              case 9 -> c.player().next().execute().getSeq();
              case 10 -> c.player().previous().execute().getSeq();
              case 11 -> c.queue().appendPaths(List.of("t3.wav")).execute().getSeq();
              case 12 -> {
                List<QueueItem> q = c.queue().get().execute().getQueue().getItemsList();
                yield q.size() <= 2
                    ? 0
                    : c.queue().remove(List.of(q.get(q.size() - 1).getItemId())).execute().getSeq();
              }
              default -> {
                List<QueueItem> q = c.queue().get().execute().getQueue().getItemsList();
                yield q.isEmpty()
                    ? 0
                    : c.queue()
                        .move(q.get(rnd.nextInt(q.size())).getItemId(), rnd.nextInt(q.size()))
                        .execute()
                        .getSeq();
              }
            };
        max = Math.max(max, seq);
      } catch (ServerErrorException e) {
        // a command that does not fit the state another client made (404 item removed meanwhile,
        // 409 empty queue): refused and nothing changed, which the comparison also checks
      }
    }
    return max;
  }
}
