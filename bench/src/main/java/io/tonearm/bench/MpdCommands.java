package io.tonearm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * MPD's equivalent of the {@code commands} scenario, for {@code --against-mpd}: an MPD process (the
 * {@code mpd} program, null output with a software mixer, empty music folder) with K clients parked
 * in {@code idle mixer}, and a control client sending {@code setvol V} one at a time; for each, the
 * time from writing the command until the last listener has read {@code changed: mixer}. Each
 * listener is one blocking thread that re-arms {@code idle} at once.
 */
final class MpdCommands implements AutoCloseable {

  private final Path music;
  private final MpdProcess mpd;
  private final int port;

  MpdCommands() throws IOException, InterruptedException {
    music = Files.createTempDirectory("tonearm-bench-mpd-music");
    mpd = new MpdProcess(music);
    port = mpd.port();
  }

  /** p50, p99, max in ms of M setvol commands (after 10 warm-up ones) with K idle listeners. */
  double[] measure(int k, int m) throws Exception {
    AtomicReference<CountDownLatch> round = new AtomicReference<>(new CountDownLatch(k));
    CountDownLatch ready = new CountDownLatch(k);
    List<Socket> sockets = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      Socket s = new Socket("127.0.0.1", port);
      s.setTcpNoDelay(true);
      sockets.add(s);
      Thread t = new Thread(() -> listen(s, ready, round), "mpd-listener-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    if (!ready.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("mpd listeners did not connect");
    }
    Thread.sleep(200); // every listener has written its idle
    List<Long> nanos = new ArrayList<>();
    try (Socket control = new Socket("127.0.0.1", port)) {
      control.setTcpNoDelay(true);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(control.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = control.getOutputStream();
      in.readLine(); // OK MPD x.y.z
      for (int i = 0; i < m + 10; i++) {
        CountDownLatch done = new CountDownLatch(k);
        round.set(done);
        long t0 = System.nanoTime();
        out.write(("setvol " + (i % 2 == 0 ? 40 : 60) + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String ack = in.readLine();
        if (!"OK".equals(ack)) {
          throw new IllegalStateException("mpd answered setvol with " + ack);
        }
        if (!done.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("mpd: " + done.getCount() + " listeners not woken");
        }
        long t1 = System.nanoTime();
        if (i >= 10) {
          nanos.add(t1 - t0);
        }
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    long[] s = Median.sorted(nanos);
    return new double[] {
      Median.percentile(s, 0.50), Median.percentile(s, 0.99), s[s.length - 1] / 1e6
    };
  }

  private static void listen(
      Socket s, CountDownLatch ready, AtomicReference<CountDownLatch> round) {
    try {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      in.readLine(); // greeting
      out.write("idle mixer\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ready.countDown();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("changed: mixer")) {
          CountDownLatch r = round.get();
          in.readLine(); // OK
          out.write("idle mixer\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          r.countDown();
        }
      }
    } catch (IOException e) {
      // closed at the end of the measurement
    }
  }

  @Override
  public void close() {
    mpd.close();
    try {
      Files.deleteIfExists(music);
    } catch (IOException e) {
      // a temporary folder
    }
  }
}
