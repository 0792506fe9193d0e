package io.tonearm.bench;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.PlayerState;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon under test, run by the bench in its own JVM: the real {@link Daemon} plus two
 * bench-only additions that touch no daemon code. A synthetic ~1 KB frame source on topic {@code
 * transport} (registered before any client connects), and a state publisher: {@code --state-hz N}
 * player events a second in the background, and {@code POST /api/v1/bench/publish?n=K}, which
 * publishes K player events and answers with the seq of the last, like a player command would.
 *
 * <p>{@code java -cp tonearm-bench.jar io.tonearm.bench.BenchDaemon --port P [--state-hz 5]
 * [--frame-bytes 1000] [--fps 60]}
 */
public final class BenchDaemon {

  private BenchDaemon() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, 0);
    Config config =
        Config.defaults(args.integer("port", 7711), Files.createTempDirectory("tonearm-bench"));
    String redis = args.string("redis", null);
    Daemon daemon =
        Daemon.start(
            config,
            redis == null
                ? io.tonearm.daemon.config.RedisConfig.NONE
                : io.tonearm.daemon.config.RedisConfig.publishTo(redis));
    // join() reads the sources under the FrameStreams lock; registering under it publishes them.
    synchronized (daemon.frames()) {
      daemon
          .frames()
          .register(
              Topic.TRANSPORT,
              new SyntheticFrames(args.integer("fps", 60), args.integer("frame-bytes", 1000)));
    }
    AtomicInteger volume = new AtomicInteger();
    publish(daemon, volume.incrementAndGet());
    daemon
        .router()
        .post(
            "/api/v1/bench/publish",
            req -> {
              int n = req.intParam("n", 1, 1, 100_000);
              long seq = 0;
              for (int i = 0; i < n; i++) {
                seq = publish(daemon, volume.incrementAndGet());
              }
              if (seq == 0) {
                throw ApiException.badRequest("nothing published");
              }
              return CompletableFuture.completedFuture(
                  ApiResponse.ok(PlayerReply.newBuilder().setSeq(seq).build()));
            });
    daemon.router().get("/api/v1/bench/memory", req -> CompletableFuture.completedFuture(memory()));
    int hz = args.integer("state-hz", 0);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    if (hz > 0) {
      timer.scheduleAtFixedRate(
          () -> publish(daemon, volume.incrementAndGet()),
          0,
          1_000_000L / hz,
          TimeUnit.MICROSECONDS);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  timer.shutdownNow();
                  daemon.close();
                  stopped.countDown();
                }));
    System.out.println("bench daemon ready on port " + daemon.port());
    stopped.await();
  }

  /**
   * Bench-only: after two full GCs, the heap in use, direct buffers (JDK buffer pool) and Netty's
   * own direct-memory counter, in bytes, as JSON.
   */
  private static ApiResponse memory() {
    System.gc();
    System.gc();
    long heap =
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = 0;
    for (var pool :
        java.lang.management.ManagementFactory.getPlatformMXBeans(
            java.lang.management.BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = pool.getMemoryUsed();
      }
    }
    long netty = io.netty.util.internal.PlatformDependent.usedDirectMemory();
    String json =
        "{\"heap\":" + heap + ",\"direct\":" + direct + ",\"netty_direct\":" + netty + "}";
    return ApiResponse.bytes(
        "application/json",
        json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.util.Map.of());
  }

  private static long publish(Daemon d, int n) {
    PlayerState state = PlayerState.newBuilder().setVolume(n % 101).build();
    Origin origin = Origin.newBuilder().setCommand("bench.publish").build();
    return d.hub()
        .publish(
            Topic.PLAYER,
            Envelope.newBuilder()
                .setPlayer(
                    PlayerChanged.newBuilder()
                        .setState(state)
                        .setCause(Cause.CAUSE_COMMAND)
                        .setOrigin(origin)),
            Envelope.newBuilder()
                .setPlayer(
                    PlayerChanged.newBuilder().setState(state).setCause(Cause.CAUSE_SNAPSHOT)));
  }
}
