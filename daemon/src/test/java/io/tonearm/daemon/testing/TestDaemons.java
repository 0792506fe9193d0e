package io.tonearm.daemon.testing;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.Track;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** Daemons on port 0 and state events published straight into their hub. */
public final class TestDaemons {
  private TestDaemons() {}

  /** The defaults on port 0, with the data dir as an (empty) music folder: no demo library. */
  public static Config quiet(Path dataDir) {
    return Config.defaults(0, dataDir).withMusic(java.util.List.of(dataDir));
  }

  /** {@link #quiet(Path)} on a given port. */
  public static Config quiet(Path dataDir, int port) {
    return quiet(dataDir).toBuilder().port(port).build();
  }

  /**
   * Starts a daemon and waits until its own start-up events (restore, the first scan job) are
   * published, so that a test's events follow them.
   */
  public static Daemon settled(Config c) throws Exception {
    Daemon d = Daemon.start(c);
    long last = -1;
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      long seq = d.hub().currentSeq();
      if (seq != last) {
        last = seq;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > 500_000_000L
          && !get(d.port(), "/api/v1/jobs").body().contains("RUNNING")
          && !get(d.port(), "/api/v1/jobs").body().contains("QUEUED")) {
        return d;
      }
      Thread.sleep(50);
    }
    return d;
  }

  /** The quiet defaults with small bounds where a test needs them to bite. */
  public static Config config(Path dataDir, int historyEvents, long budgetBytes, int sendBuffer) {
    return quiet(dataDir).toBuilder()
        .historyEvents(historyEvents)
        .clientBudgetBytes(budgetBytes)
        .sendBufferBytes(sendBuffer)
        .build();
  }

  /** This machine's first non-loopback, non-link-local IPv4 address, or null when it has none. */
  public static String lanAddress() throws java.io.IOException {
    for (java.net.NetworkInterface n :
        java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!n.isUp() || n.isLoopback()) {
        continue;
      }
      for (java.net.InetAddress a : java.util.Collections.list(n.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address
            && !a.isLoopbackAddress()
            && !a.isLinkLocalAddress()) {
          return a.getHostAddress();
        }
      }
    }
    return null;
  }

  /** Publishes a player event whose state has this volume (and a title of {@code padding} x's). */
  public static long publishPlayer(Daemon d, int volume, int padding) {
    PlayerState st =
        PlayerState.newBuilder()
            .setVolume(volume)
            .setCurrent(
                QueueItem.newBuilder()
                    .setItemId("q1")
                    .setTrack(Track.newBuilder().setTitle("x".repeat(padding))))
            .build();
    return d.hub()
        .publish(
            Topic.PLAYER,
            Envelope.newBuilder()
                .setPlayer(PlayerChanged.newBuilder().setState(st).setCause(Cause.CAUSE_COMMAND)),
            Envelope.newBuilder()
                .setPlayer(PlayerChanged.newBuilder().setState(st).setCause(Cause.CAUSE_SNAPSHOT)));
  }

  public static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> post(int port, String path, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
