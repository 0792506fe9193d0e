package io.tonearm.bench.decode;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Decode speed, CPU and allocation per second of audio, and seek latency, per format, on a stereo
 * 44.1 kHz signal (independent pink noise per channel, a harder case for codecs than most music)
 * that ffmpeg generates and encodes. For each format: the median over runs of a full decode (after
 * one warm-up pass over the first minute) as a multiple of real time, the decoding thread's CPU and
 * the process's CPU in percent of one core while playing in real time, bytes allocated per second
 * of audio; and the latency of 200 random seeks, each timed from {@code seek} to the end of the
 * first 4096-frame read (p50, p99).
 *
 * <p>Run: {@code java -cp ... io.tonearm.bench.decode.DecodeBench [seconds] [--formats
 * flac,mp3,opus] [--runs 3] [--dir DIR]} (needs ffmpeg). With {@code --dir} the encoded files are
 * kept there and reused by later runs.
 */
public final class DecodeBench {

  private static final int BLOCK = 4096;
  private static final int SEEKS = 200;

  private DecodeBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = 600;
    int runs = 3;
    List<String> only = null;
    Path keep = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--formats" -> only = List.of(args[++i].split(","));
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--dir" -> keep = Path.of(args[++i]);
        default -> seconds = Integer.parseInt(args[i]);
      }
    }
    Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("decode");
    try {
      Path wav = dir.resolve("source-" + seconds + ".wav");
      if (!Files.exists(wav)) {
        ffmpeg(
            "-f",
            "lavfi",
            "-i",
            "anoisesrc=d=" + seconds + ":c=pink:r=44100:a=0.25:seed=1",
            "-f",
            "lavfi",
            "-i",
            "anoisesrc=d=" + seconds + ":c=pink:r=44100:a=0.25:seed=2",
            "-filter_complex",
            "[0][1]amerge=inputs=2",
            "-c:a",
            "pcm_s16le",
            wav.toString());
      }
      List<String[]> formats =
          List.of(
              new String[] {"wav", "-c:a", "pcm_s16le"},
              new String[] {"aiff", "-c:a", "pcm_s16be"},
              new String[] {"flac", "-c:a", "flac", "-compression_level", "5"},
              new String[] {"mp3", "-c:a", "libmp3lame", "-q:a", "2"},
              new String[] {"ogg", "-c:a", "libvorbis", "-q:a", "5"},
              new String[] {"opus", "-c:a", "libopus", "-b:a", "128k"},
              new String[] {"m4a", "-c:a", "aac", "-b:a", "192k"});
      System.out.printf(
          Locale.ROOT,
          "%d s stereo pink noise, JDK %s, %d cores, %d runs, 20 ms reads%n",
          seconds,
          Runtime.version(),
          Runtime.getRuntime().availableProcessors(),
          runs);
      System.out.printf(
          Locale.ROOT,
          "%-6s %-8s %8s %8s %s %12s %12s%n",
          "format",
          "codec",
          "MB",
          "open ms",
          DecodeCost.header(),
          "seek p50 ms",
          "seek p99 ms");
      for (String[] f : formats) {
        if (only != null && !only.contains(f[0])) {
          continue;
        }
        Path file = dir.resolve("long-" + seconds + "." + f[0]);
        if (!Files.exists(file)) {
          List<String> cmd = new ArrayList<>(List.of("-i", wav.toString()));
          cmd.addAll(Arrays.asList(f).subList(1, f.length));
          cmd.add(file.toString());
          ffmpeg(cmd.toArray(new String[0]));
        }
        run(file, runs);
      }
    } finally {
      if (keep == null) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  private static void run(Path file, int runs) throws IOException {
    String codec;
    int rate;
    try (Decoder d = Decoders.open(file)) {
      codec = d.format().codec();
      rate = d.format().sampleRate();
      DecodeCost.decode(d, 60L * rate); // warm-up
    }
    DecodeCost[] costs = new DecodeCost[runs];
    double[] opens = new double[runs];
    for (int i = 0; i < runs; i++) {
      long o0 = System.nanoTime();
      try (Decoder d = Decoders.open(file)) {
        opens[i] = (System.nanoTime() - o0) / 1e6;
        costs[i] = new DecodeCost();
        costs[i].start();
        long frames = DecodeCost.decode(d, Long.MAX_VALUE);
        costs[i].stop(frames / (double) rate);
      }
    }
    double[] latencies = new double[SEEKS];
    try (Decoder d = Decoders.open(file)) {
      long total = d.format().frames();
      float[] buf = new float[BLOCK * d.format().channels()];
      Random random = new Random(1);
      for (int i = 0; i < SEEKS; i++) {
        long target = (long) (random.nextDouble() * (total - rate));
        long t0 = System.nanoTime();
        d.seek(target);
        d.read(buf, 0, BLOCK);
        latencies[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(latencies);
    System.out.printf(
        Locale.ROOT,
        "%-6s %-8s %8.1f %8.1f %s %12.2f %12.2f%n",
        file.getFileName().toString().replaceFirst(".*\\.", ""),
        codec,
        Files.size(file) / 1e6,
        DecodeCost.median(opens),
        DecodeCost.medians(costs),
        latencies[SEEKS / 2],
        latencies[(int) Math.ceil(SEEKS * 0.99) - 1]);
  }

  private static void ffmpeg(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("ffmpeg failed: " + String.join(" ", cmd));
    }
  }
}
