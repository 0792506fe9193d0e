package io.tonearm.bench.decode;

import io.tonearm.daemon.decode.Decoder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * What decoding costs per second of audio: wall time (as a multiple of real time), CPU of the
 * decoding thread and of the whole process (which adds GC and JIT threads) in percent of one core,
 * and bytes the decoding thread allocated. Reads in 20 ms blocks, as the daemon's decode loop does.
 */
final class DecodeCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long wallNanos;
  private long threadCpuNanos;
  private long processCpuNanos;
  private long allocated;
  private double audioSeconds;

  private long w0;
  private long t0;
  private long p0;
  private long a0;

  /** Starts a measured span on the calling thread. */
  void start() {
    a0 = THREADS.getCurrentThreadAllocatedBytes();
    p0 = OS.getProcessCpuTime();
    t0 = THREADS.getCurrentThreadCpuTime();
    w0 = System.nanoTime();
  }

  /** Ends the span begun by {@link #start}, which decoded {@code seconds} of audio. */
  void stop(double seconds) {
    wallNanos += System.nanoTime() - w0;
    threadCpuNanos += THREADS.getCurrentThreadCpuTime() - t0;
    processCpuNanos += OS.getProcessCpuTime() - p0;
    allocated += THREADS.getCurrentThreadAllocatedBytes() - a0;
    audioSeconds += seconds;
  }

  double realtime() {
    return audioSeconds / (wallNanos / 1e9);
  }

  /** Decoding thread CPU, percent of one core while playing in real time: 100 / x-real-time. */
  double threadCpuPercent() {
    return 100.0 * threadCpuNanos / 1e9 / audioSeconds;
  }

  /** Process CPU (decoding plus GC and JIT threads), percent of one core. */
  double processCpuPercent() {
    return 100.0 * processCpuNanos / 1e9 / audioSeconds;
  }

  double allocatedPerSecond() {
    return allocated / audioSeconds;
  }

  /** Reads {@code d} to its end or {@code limit} frames, in 20 ms blocks; returns frames read. */
  static long decode(Decoder d, long limit) throws IOException {
    int block = Math.max(1, d.format().sampleRate() / 50);
    float[] buf = new float[block * d.format().channels()];
    long frames = 0;
    int n;
    while (frames < limit && (n = d.read(buf, 0, block)) > 0) {
      frames += n;
    }
    return frames;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  static String header() {
    return String.format(
        Locale.ROOT, "%10s %10s %10s %12s", "x realtime", "cpu %", "proc cpu %", "alloc B/s");
  }

  /** Median of each figure over runs, formatted to match {@link #header}. */
  static String medians(DecodeCost[] runs) {
    double[] x = new double[runs.length];
    double[] c = new double[runs.length];
    double[] p = new double[runs.length];
    double[] a = new double[runs.length];
    for (int i = 0; i < runs.length; i++) {
      x[i] = runs[i].realtime();
      c[i] = runs[i].threadCpuPercent();
      p[i] = runs[i].processCpuPercent();
      a[i] = runs[i].allocatedPerSecond();
    }
    return String.format(
        Locale.ROOT, "%10.1f %10.3f %10.3f %12.0f", median(x), median(c), median(p), median(a));
  }
}
