package io.tonearm.client.cli;

import io.tonearm.client.EventListener;
import io.tonearm.client.EventStream;
import io.tonearm.client.EventStreamOptions;
import io.tonearm.client.FrameListener;
import io.tonearm.client.FrameViewRequest;
import io.tonearm.client.MirrorListener;
import io.tonearm.client.PlayerMirror;
import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.ChannelLevels;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobState;
import io.tonearm.proto.v1.MeterFrame;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Commands that follow the event stream: {@code watch}, {@code meters}, and {@code scan} / {@code
 * analyze}, which start a job and follow it on the {@code jobs} topic to its end. {@code --count N}
 * stops {@code watch} and {@code meters} after N messages (for scripts); otherwise they run until
 * interrupted. Output is printed from the client's event loop.
 */
final class LiveCommands {
  private final TonearmClient client;
  private final Output o;

  LiveCommands(TonearmClient client, Output o) {
    this.client = client;
    this.o = o;
  }

  void watch(Args a) throws InterruptedException {
    String topics = a.flag("--topics");
    String count = a.flag("--count");
    a.end();
    int n = count == null ? Integer.MAX_VALUE : a.intValue("--count", count, 1, Integer.MAX_VALUE);
    String[] names =
        (topics == null ? "player,queue,outputs,playlists,jobs,library" : topics).split(",");
    CountDownLatch left = new CountDownLatch(1);
    int[] seen = {0};
    CompletableFuture<String> refused = new CompletableFuture<>();
    try (EventStream s =
        client.events(
            EventStreamOptions.builder().topics(names).build(),
            new EventListener() {
              @Override
              public void onConnected(EventStream st, Hello h) {
                if (!o.json) {
                  o.err.println(
                      "connected to "
                          + h.getServerVersion()
                          + " (epoch "
                          + h.getEpoch()
                          + ", seq "
                          + h.getSeq()
                          + ")");
                }
              }

              @Override
              public void onEvent(EventStream st, Envelope e) {
                if (seen[0] >= n) {
                  return; // --count reached; the stream is being closed
                }
                o.print(e, EventText.describe(e));
                if (++seen[0] >= n) {
                  left.countDown();
                }
              }

              @Override
              public void onDisconnected(EventStream st, int code, String reason, long in) {
                if (in < 0) {
                  refused.complete(reason);
                  left.countDown();
                } else if (!o.json) {
                  o.err.println(
                      "disconnected (" + code + " " + reason + "), reconnecting in " + in + " ms");
                }
              }
            })) {
      left.await();
    }
    if (refused.isDone() && seen[0] < n) {
      throw new UsageException("the daemon refused the subscription: " + refused.getNow(""));
    }
  }

  void meters(Args a) throws InterruptedException {
    String count = a.flag("--count");
    String fps = a.flag("--fps");
    a.end();
    int n = count == null ? Integer.MAX_VALUE : a.intValue("--count", count, 1, Integer.MAX_VALUE);
    CountDownLatch left = new CountDownLatch(n == Integer.MAX_VALUE ? 1 : n);
    try (EventStream s =
        client.frames(
            List.of(FrameViewRequest.meters(fps == null ? 10 : a.intValue("--fps", fps, 1, 60))),
            new FrameListener() {
              @Override
              public void onMeters(String stream, MeterFrame f) {
                if (left.getCount() == 0) {
                  return; // --count reached; the stream is being closed
                }
                if (o.json) {
                  o.print(f, null);
                } else {
                  o.out.print("\r" + meterLine(f));
                  o.out.flush();
                }
                left.countDown();
              }
            })) {
      left.await();
    }
    if (!o.json) {
      o.out.println();
    }
  }

  /** One line: a 40-column bar per channel from -60 to 0 dBFS, then loudness. */
  static String meterLine(MeterFrame f) {
    StringBuilder b = new StringBuilder();
    for (ChannelLevels c : f.getChannelsList()) {
      int cols = (int) Math.round(Math.max(0, Math.min(60, c.getRmsDbfs() + 60)) * 40 / 60);
      b.append('[').append("#".repeat(cols)).append(" ".repeat(40 - cols)).append("] ");
      b.append(String.format("%6.1f dB  ", c.getSamplePeakDbfs()));
    }
    b.append(
        String.format(
            "M %6.1f  S %6.1f  I %6.1f LUFS",
            f.getMomentaryLufs(), f.getShortTermLufs(), f.getIntegratedLufs()));
    return b.toString();
  }

  /** Follows a started job to its end with a progress bar on stderr; returns the finished job. */
  Job follow(String jobId) throws InterruptedException {
    CompletableFuture<Job> end = new CompletableFuture<>();
    try (PlayerMirror m =
        client.mirror(
            new MirrorListener() {
              @Override
              public void onJobs(PlayerMirror mirror, List<Job> jobs) {
                for (Job j : jobs) {
                  if (j.getId().equals(jobId)) {
                    if (!o.json) {
                      o.err.print("\r" + bar(j));
                      o.err.flush();
                    }
                    if (finished(j.getState())) {
                      end.complete(j);
                    }
                  }
                }
              }
            })) {
      // The job may have ended before the mirror's snapshot; ask once so no wait is endless.
      Job now = client.jobs().get(jobId).execute().getJob();
      if (finished(now.getState())) {
        end.complete(now);
      }
      Job done;
      try {
        done = end.get(24, TimeUnit.HOURS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(e);
      }
      if (!o.json) {
        o.err.println("\r" + bar(done)); // the final state, however the end was learnt
      }
      return done;
    }
  }

  static boolean finished(JobState s) {
    return s == JobState.JOB_STATE_COMPLETED
        || s == JobState.JOB_STATE_FAILED
        || s == JobState.JOB_STATE_CANCELLED;
  }

  static String bar(Job j) {
    int pct =
        j.getTotal() == 0
            ? (finished(j.getState()) ? 100 : 0)
            : (int) (100 * j.getDone() / j.getTotal());
    int cols = pct * 30 / 100;
    return String.format(
        "[%s%s] %3d%% %d/%d %s",
        "=".repeat(cols),
        " ".repeat(30 - cols),
        pct,
        j.getDone(),
        j.getTotal(),
        j.getCurrentItem().length() > 40
            ? "..." + j.getCurrentItem().substring(j.getCurrentItem().length() - 37)
            : j.getCurrentItem());
  }
}
