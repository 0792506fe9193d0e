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
 * Decode speed and seek latency per format, on a 10-minute stereo 44.1 kHz signal (independent pink
 * noise per channel, a harder case for codecs than most music) that ffmpeg generates and encodes
 * into a temporary directory. For each format: the multiple of real time of a full decode (median
 * of 3, after one warm-up pass over the first minute), and the latency of 200 random seeks, each
 * timed from {@code seek} to the end of the first 4096-frame read (p50, p99).
 *
 * <p>Run: {@code java -cp ... io.tonearm.bench.decode.DecodeBench [seconds]} (needs ffmpeg).
 */
public final class DecodeBench {

  private static final int BLOCK = 4096;
  private static final int SEEKS = 200;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  private DecodeBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
    Path dir = Files.createTempDirectory("tonearm-decode-bench");
    try {
      Path wav = dir.resolve("source.wav");
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
          "%d s stereo pink noise, JDK %s, %d cores%n",
          seconds,
          Runtime.version(),
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "%-6s %-8s %8s %8s %10s %10s %12s %12s%n",
          "format",
          "codec",
          "MB",
          "open ms",
          "x realtime",
          "alloc KB/s",
          "seek p50 ms",
          "seek p99 ms");
      for (String[] f : formats) {
        Path file = dir.resolve("long." + f[0]);
        List<String> cmd = new ArrayList<>(List.of("-i", wav.toString()));
        cmd.addAll(Arrays.asList(f).subList(1, f.length));
        cmd.add(file.toString());
        ffmpeg(cmd.toArray(new String[0]));
        run(file);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void run(Path file) throws IOException {
    String codec;
    long frames;
    int rate;
    try (Decoder d = Decoders.open(file)) {
      codec = d.format().codec();
      rate = d.format().sampleRate();
      decode(d, 60L * rate); // warm-up
    }
    double[] speeds = new double[3];
    double[] opens = new double[3];
    double[] allocs = new double[3];
    for (int i = 0; i < speeds.length; i++) {
      long o0 = System.nanoTime();
      try (Decoder d = Decoders.open(file)) {
        opens[i] = (System.nanoTime() - o0) / 1e6;
        long a0 = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        frames = decode(d, Long.MAX_VALUE);
        double secs = (System.nanoTime() - t0) / 1e9;
        speeds[i] = frames / (double) rate / secs;
        allocs[i] =
            (THREADS.getCurrentThreadAllocatedBytes() - a0) / 1024.0 / (frames / (double) rate);
      }
    }
    Arrays.sort(speeds);
    Arrays.sort(opens);
    Arrays.sort(allocs);
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
        "%-6s %-8s %8.1f %8.1f %10.1f %10.1f %12.2f %12.2f%n",
        file.getFileName().toString().substring(5),
        codec,
        Files.size(file) / 1e6,
        opens[1],
        speeds[1],
        allocs[1],
        latencies[SEEKS / 2],
        latencies[(int) Math.ceil(SEEKS * 0.99) - 1]);
  }

  private static long decode(Decoder d, long limit) throws IOException {
    float[] buf = new float[BLOCK * d.format().channels()];
    long frames = 0;
    int n;
    while (frames < limit && (n = d.read(buf, 0, BLOCK)) > 0) {
      frames += n;
    }
    return frames;
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
