package io.tonearm.bench.library;

import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.library.Library;
import io.tonearm.daemon.library.LibraryDb;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Library figures: cold scan rate, unchanged rescan time, and search latency on a synthetic
 * 50,000-track store.
 *
 * <pre>
 * java -cp bench/target/tonearm-bench.jar io.tonearm.bench.library.LibraryBench scan CORPUS [RUNS]
 * java -cp bench/target/tonearm-bench.jar io.tonearm.bench.library.LibraryBench search [TRACKS]
 * </pre>
 */
public final class LibraryBench {
  private LibraryBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("scan")) {
      scanRuns(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 3);
    } else if (args.length >= 1 && args[0].equals("search")) {
      search(args.length > 1 ? Integer.parseInt(args[1]) : 50_000);
    } else {
      System.err.println("usage: LibraryBench scan CORPUS [RUNS] | search [TRACKS]");
      System.exit(2);
    }
  }

  /** Counts events, keeps nothing. */
  static final class CountingLane implements StateLane {
    final AtomicLong seq = new AtomicLong();

    @Override
    public long publish(Topic topic, Envelope.Builder event, Envelope.Builder snapshot) {
      event.build();
      return seq.incrementAndGet();
    }

    @Override
    public long currentSeq() {
      return seq.get();
    }

    @Override
    public long newestSeq(Topic t) {
      return seq.get(); // the bench reads no replies
    }
  }

  /**
   * Scans {@code corpus} cold (a new library) and then unchanged, {@code runs} times in this JVM,
   * printing a line per run; returns per run: cold_s, cold_cpu_s (this process's CPU over the cold
   * scan), rescan_s, tracks, errors.
   */
  public static List<Map<String, Double>> scanRuns(Path corpus, int runs) throws Exception {
    List<Map<String, Double>> out = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      Path data = Files.createTempDirectory("tonearm-bench-lib");
      CountingLane lane = new CountingLane();
      try (Jobs jobs = new Jobs(lane, 2);
          Library lib = new Library(data, lane, jobs)) {
        jobs.start();
        lib.folders().add(corpus.toAbsolutePath().toString());
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        await(jobs, lib.scan(false, List.of(), "bench").jobId());
        double coldS = (System.nanoTime() - t0) / 1e9;
        double coldCpu = (cpuNanos() - cpu0) / 1e9;
        t0 = System.nanoTime();
        await(jobs, lib.scan(false, List.of(), "bench").jobId());
        double warmS = (System.nanoTime() - t0) / 1e9;
        int tracks = lib.summary().getTrackCount();
        System.out.printf(
            Locale.ROOT,
            "run %d: cold %.3f s (%.0f files/s, %.2f s process CPU), unchanged rescan %.3f s,"
                + " %d tracks, %d errors, %d events%n",
            run + 1,
            coldS,
            tracks / coldS,
            coldCpu,
            warmS,
            tracks,
            lib.summary().getErrorCount(),
            lane.seq.get());
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("cold_s", coldS);
        f.put("cold_cpu_s", coldCpu);
        f.put("rescan_s", warmS);
        f.put("tracks", (double) tracks);
        f.put("errors", (double) lib.summary().getErrorCount());
        out.add(f);
      }
      deleteTree(data);
    }
    return out;
  }

  static void search(int n) throws Exception {
    Path data = Files.createTempDirectory("tonearm-bench-search");
    CountingLane lane = new CountingLane();
    String[] words = {
      "love", "night", "blue", "river", "dance", "fire", "heart", "moon", "road", "rain", "gold",
      "city", "dream", "light", "shadow", "summer", "winter", "storm", "song", "home", "wild",
      "silver", "ocean", "star", "ghost", "velvet", "glass", "iron", "paper", "echo"
    };
    Random r = new Random(42);
    try (LibraryDb db = new LibraryDb(data)) {
      db.write(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO tracks(id, folder_id, path, rel_path, size, mtime_ms, title,"
                        + " artist, album, album_artist, album_id, artist_id, album_artist_id,"
                        + " track_no, track_total, disc_no, disc_total, year, genre, duration_ms,"
                        + " sample_rate, channels, bitrate, codec, mb_recording, mb_release_track,"
                        + " mb_release, mb_artist, mb_release_artist, lyrics, sort_key) VALUES"
                        + " (?,'f',?,?,1,1,?,?,?,'','a','b','b',1,0,0,0,2000,?,200000,44100,2,320,"
                        + "'mp3','','','','','','',?)")) {
              for (int i = 0; i < n; i++) {
                String title = words[r.nextInt(30)] + " " + words[r.nextInt(30)] + " " + i;
                String artist = "Artist " + words[r.nextInt(30)] + " " + (i % 997);
                String album = words[r.nextInt(30)] + " album " + (i % 4999);
                ps.setString(1, String.format("%016x", i));
                ps.setString(2, "/m/" + i + ".mp3");
                ps.setString(3, i + ".mp3");
                ps.setString(4, title);
                ps.setString(5, artist);
                ps.setString(6, album);
                ps.setString(7, words[i % 12]);
                ps.setString(8, artist + "\u0001" + album + "\u0001" + i);
                ps.addBatch();
              }
              ps.executeBatch();
            }
            // The full-text rows as a scan writes them (TrackWriter.upsert): one statement per
            // batch of 100 tracks, the daemon's FolderScan.BATCH.
            try (PreparedStatement fts =
                c.prepareStatement(
                    "INSERT INTO tracks_fts(rowid, title, artist, album, genre)"
                        + " SELECT num, title, artist, album, genre FROM tracks"
                        + " WHERE num > ? AND num <= ?")) {
              for (int i = 0; i < n; i += 100) {
                fts.setInt(1, i);
                fts.setInt(2, i + 100);
                fts.executeUpdate();
              }
            }
            return null;
          });
    }
    try (Jobs jobs = new Jobs(lane, 1);
        Library lib = new Library(data, lane, jobs)) {
      String[] queries = new String[200];
      for (int i = 0; i < queries.length; i++) {
        queries[i] =
            switch (i % 4) {
              case 0 -> words[r.nextInt(30)];
              case 1 -> words[r.nextInt(30)] + " " + words[r.nextInt(30)];
              case 2 -> words[r.nextInt(30)].substring(0, 3);
              default -> "artist " + words[r.nextInt(30)];
            };
      }
      for (int i = 0; i < 400; i++) { // warm-up
        lib.search(queries[i % queries.length], 50).toCompletableFuture().get();
      }
      int samples = 2000;
      long[] ns = new long[samples];
      for (int i = 0; i < samples; i++) {
        long t0 = System.nanoTime();
        lib.search(queries[i % queries.length], 50).toCompletableFuture().get();
        ns[i] = System.nanoTime() - t0;
      }
      String[] kinds = {
        "one word", "two words", "3-letter prefix", "'artist <word>' (matches all)"
      };
      for (int k = 0; k < 4; k++) {
        long[] part = new long[samples / 4];
        for (int i = 0; i < part.length; i++) {
          part[i] = ns[i * 4 + k];
        }
        Arrays.sort(part);
        System.out.printf(
            Locale.ROOT,
            "  %-32s p50 %.2f ms, p99 %.2f ms%n",
            kinds[k],
            part[part.length / 2] / 1e6,
            part[part.length * 99 / 100] / 1e6);
      }
      Arrays.sort(ns);
      System.out.printf(
          Locale.ROOT,
          "search over %d tracks, %d queries (limit 50): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms,"
              + " max %.2f ms%n",
          n,
          samples,
          ns[samples / 2] / 1e6,
          ns[samples * 9 / 10] / 1e6,
          ns[samples * 99 / 100] / 1e6,
          ns[samples - 1] / 1e6);
    }
    deleteTree(data);
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static void await(Jobs jobs, String id) throws InterruptedException {
    while (true) {
      JobState s = jobs.find(id).orElseThrow().getState();
      if (s != JobState.JOB_STATE_QUEUED && s != JobState.JOB_STATE_RUNNING) {
        return;
      }
      Thread.sleep(2);
    }
  }

  static void deleteTree(Path p) throws java.io.IOException {
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
