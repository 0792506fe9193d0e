package io.tonearm.daemon.dsp;

/**
 * EBU R128 short-term loudness of a stream as a mean square: K-weighted (ITU-R BS.1770-4) energy
 * over the last 3 s, in 100 ms hops, every channel weighted 1 (right for mono and stereo). Output
 * thread only; allocates in its constructor.
 */
public final class ShortTermLoudness {

  private static final int HOPS = 30;

  private final KWeighting filter;
  private final int channels;
  private final int hop;
  private final double[] ring = new double[HOPS];
  private int ringPos;
  private int filled;
  private double hopEnergy;
  private int hopFrames;

  public ShortTermLoudness(int sampleRate, int channels) {
    this.filter = new KWeighting(sampleRate, channels);
    this.channels = channels;
    this.hop = sampleRate / 10;
  }

  public void reset() {
    filter.reset();
    java.util.Arrays.fill(ring, 0);
    ringPos = 0;
    filled = 0;
    hopEnergy = 0;
    hopFrames = 0;
  }

  /** Feeds {@code frames} interleaved frames. */
  public void accept(float[] buf, int offset, int frames) {
    int at = 0;
    while (at < frames) {
      int n = Math.min(frames - at, hop - hopFrames);
      for (int c = 0; c < channels; c++) {
        hopEnergy += filter.filterEnergy(buf, offset + at * channels + c, channels, n, c);
      }
      hopFrames += n;
      at += n;
      if (hopFrames == hop) {
        ring[ringPos] = hopEnergy;
        ringPos = (ringPos + 1) % HOPS;
        filled = Math.min(HOPS, filled + 1);
        hopEnergy = 0;
        hopFrames = 0;
      }
    }
  }

  /** Mean square of the K-weighted signal over the last 3 s (or since reset), summed channels. */
  public double meanSquare() {
    if (filled == 0) {
      return 0;
    }
    double sum = 0;
    for (double e : ring) {
      sum += e;
    }
    return sum / ((double) filled * hop);
  }

  /** Short-term loudness in LUFS; -infinity in silence. */
  public double lufs() {
    return -0.691 + 10 * Math.log10(meanSquare());
  }
}
