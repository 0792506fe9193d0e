package io.tonearm.daemon.analysis;

/** Synthesised test signals, fed to a consumer block by block. */
final class Signals {

  private Signals() {}

  /** Amplitude of a sine whose peak is {@code dbfs} dB relative to full scale. */
  static double amp(double dbfs) {
    return Math.pow(10, dbfs / 20);
  }

  /**
   * Feeds {@code seconds} of a sine of {@code hz} Hz to {@code sink} as interleaved blocks of 1024
   * frames, channel c at amplitude {@code amps[c]}; {@code phase0} is the start phase in radians
   * and {@code startFrame} the running frame index (for continuity between segments).
   */
  static long sine(
      int rate,
      double hz,
      double[] amps,
      double seconds,
      double phase0,
      long startFrame,
      BlockSink sink) {
    int channels = amps.length;
    long total = Math.round(seconds * rate);
    float[] buf = new float[1024 * channels];
    long f = 0;
    while (f < total) {
      int n = (int) Math.min(1024, total - f);
      for (int i = 0; i < n; i++) {
        double v = Math.sin(2 * Math.PI * hz * (startFrame + f + i) / rate + phase0);
        for (int c = 0; c < channels; c++) {
          buf[i * channels + c] = (float) (amps[c] * v);
        }
      }
      sink.accept(buf, n);
      f += n;
    }
    return startFrame + total;
  }

  /** Same amplitude on every channel. */
  static double[] all(int channels, double dbfs) {
    double[] a = new double[channels];
    java.util.Arrays.fill(a, amp(dbfs));
    return a;
  }

  /** Receives one block of interleaved frames. */
  interface BlockSink {
    void accept(float[] interleaved, int frames);
  }
}
