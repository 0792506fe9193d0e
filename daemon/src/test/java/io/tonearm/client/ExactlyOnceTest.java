package io.tonearm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every state event once and in order while the connection is cut again and again. */
class ExactlyOnceTest {

  @TempDir Path dir;

  private Daemon daemon;
  private TonearmClient client;

  @BeforeEach
  void start() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    client =
        TonearmClient.builder()
            .baseUri(URI.create("http://127.0.0.1:" + daemon.port()))
            .reconnectBackoff(Duration.ofMillis(5), Duration.ofMillis(40))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    daemon.close();
  }

  @Test
  void fiftyForcedDisconnectsLoseAndRepeatNothing() throws Exception {
    List<Long> delivered = new CopyOnWriteArrayList<>();
    Semaphore hellos = new Semaphore(0);
    List<Boolean> recovered = new CopyOnWriteArrayList<>();
    List<Long> published = new ArrayList<>();
    try (TcpProxy proxy = new TcpProxy(daemon.port());
        TonearmClient viaProxy = client.newBuilder().port(proxy.port()).build();
        EventStream s =
            viaProxy.events(
                EventStreamOptions.builder().topics("player").build(),
                new EventListener() {
                  @Override
                  public void onConnected(EventStream st, Hello h) {
                    recovered.add(h.getRecovered());
                    hellos.release();
                  }

                  @Override
                  public void onEvent(EventStream st, Envelope e) {
                    delivered.add(e.getSeq());
                  }
                })) {
      assertTrue(hellos.tryAcquire(10, TimeUnit.SECONDS));
      // A cut before the first hello's snapshots are confirmed reconnects for new snapshots, not a
      // resume (StreamRunnerTest); a ping answered means the runner's confirming pong came first.
      s.ping().get(10, TimeUnit.SECONDS);
      int volume = 0;
      for (int cut = 0; cut < 50; cut++) {
        for (int i = 0; i < 5; i++) { // while connected; some are in flight at the cut
          published.add(EventStreamTest.publishVolume(daemon, volume++ % 101));
        }
        proxy.cut();
        for (int i = 0; i < 5; i++) { // while disconnected
          published.add(EventStreamTest.publishVolume(daemon, volume++ % 101));
        }
        proxy.open();
        assertTrue(hellos.tryAcquire(10, TimeUnit.SECONDS), "reconnected after cut " + cut);
      }
      published.add(EventStreamTest.publishVolume(daemon, 7));
      long lastSeq = published.get(published.size() - 1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((delivered.isEmpty() || delivered.get(delivered.size() - 1) < lastSeq)
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(published, delivered);
      assertEquals(51, recovered.size());
      assertTrue(recovered.subList(1, 51).stream().allMatch(r -> r), "every reconnect resumed");
    }
  }
}
