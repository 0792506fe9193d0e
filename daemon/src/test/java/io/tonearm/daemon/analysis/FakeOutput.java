package io.tonearm.daemon.analysis;

/** Plays synthesised blocks into a tap, stamping each with a manual clock, as an output would. */
final class FakeOutput {

  static final long T0 = 1_700_000_000_000_000L;

  private final AnalysisTap tap;
  private final int rate;
  private final int channels;
  private long frames;

  FakeOutput(AnalysisTap tap, int rate, int channels) {
    this.tap = tap;
    this.rate = rate;
    this.channels = channels;
  }

  /** Time at which the next frame will be heard. */
  long nextMicros() {
    return T0 + frames * 1_000_000L / rate;
  }

  /** Plays one interleaved block. */
  void play(float[] block, int n) {
    tap.accept(block, 0, n, channels, rate, nextMicros());
    frames += n;
  }

  /** Plays {@code seconds} of a sine of {@code hz} at {@code dbfs} on every channel. */
  void sine(double hz, double dbfs, double seconds) {
    Signals.sine(rate, hz, Signals.all(channels, dbfs), seconds, 0, frames, this::play);
  }

  /** Plays {@code seconds} of silence. */
  void silence(double seconds) {
    Signals.sine(rate, 0, new double[channels], seconds, 0, frames, this::play);
  }
}
