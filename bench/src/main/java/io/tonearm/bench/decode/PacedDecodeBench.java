package io.tonearm.bench.decode;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Decoding CPU when paced to real time, as the daemon's decode thread is: after one minute of audio
 * decoded flat out (JIT warm-up), reads {@code burst} 20 ms blocks per wake-up and parks until the
 * next one is due. Compared with {@link DecodeBench}'s flat-out figure it shows what waking up
 * costs per block (the thread's wake-up and cold caches), and how much decoding several blocks per
 * wake-up saves.
 *
 * <p>Run: {@code java -cp ... io.tonearm.bench.decode.PacedDecodeBench FILE [seconds=40]
 * [bursts=1,10]}.
 */
public final class PacedDecodeBench {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private PacedDecodeBench() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    String bursts = args.length > 2 ? args[2] : "1,10";
    for (String b : bursts.split(",")) {
      int burst = Integer.parseInt(b);
      System.out.printf(
          Locale.ROOT,
          "%s: %d s paced, %d block(s) of 20 ms per wake-up: %.3f%% of one core%n",
          file.getFileName(),
          seconds,
          burst,
          run(file, burst, seconds));
    }
  }

  private static double run(Path file, int burst, int seconds) throws Exception {
    try (Decoder d = Decoders.open(file)) {
      int rate = d.format().sampleRate();
      int block = rate / 50;
      float[] buf = new float[block * d.format().channels()];
      DecodeCost.decode(d, 60L * rate); // warm-up
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long frames = 0;
      long due = System.nanoTime();
      int n = 0;
      while (frames < (long) seconds * rate && n >= 0) {
        for (int i = 0; i < burst && (n = d.read(buf, 0, block)) > 0; i++) {
          frames += n;
        }
        due += burst * 20_000_000L;
        for (long wait; (wait = due - System.nanoTime()) > 0; ) {
          LockSupport.parkNanos(wait);
        }
      }
      return 100.0 * (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9 / (frames / (double) rate);
    }
  }
}
