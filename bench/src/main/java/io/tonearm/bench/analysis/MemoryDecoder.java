package io.tonearm.bench.analysis;

import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;

/** Decodes interleaved samples held in memory, so that benchmarks time analysis, not I/O. */
final class MemoryDecoder implements Decoder {
  private final float[] samples;
  private final AudioFormat format;
  private long frame;

  MemoryDecoder(float[] interleaved, int rate, int channels) {
    samples = interleaved;
    format = new AudioFormat(rate, channels, interleaved.length / channels, "pcm", 0);
  }

  /** Pink-ish test programme: a 440 Hz tone over white noise, -12 dBFS. */
  static float[] programme(int rate, int channels, double seconds) {
    int n = (int) (rate * seconds);
    float[] x = new float[n * channels];
    java.util.Random rnd = new java.util.Random(1);
    for (int i = 0; i < n; i++) {
      double s = 0.2 * Math.sin(2 * Math.PI * 440 * i / rate);
      for (int c = 0; c < channels; c++) {
        x[i * channels + c] = (float) (s + 0.05 * rnd.nextGaussian());
      }
    }
    return x;
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) {
    int ch = format.channels();
    int n = (int) Math.min(maxFrames, format.frames() - frame);
    if (n <= 0) {
      return -1;
    }
    System.arraycopy(samples, (int) (frame * ch), dst, offset, n * ch);
    frame += n;
    return n;
  }

  @Override
  public void seek(long f) {
    frame = f;
  }

  @Override
  public void close() {}
}
