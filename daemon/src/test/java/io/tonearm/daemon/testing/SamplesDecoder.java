package io.tonearm.daemon.testing;

import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;

/**
 * A decoder over interleaved samples in memory, for playing or analysing known signals; optionally
 * hands them out in reads of at most a few frames, as a real decoder's blocks would.
 */
public final class SamplesDecoder implements Decoder {
  private final float[] samples;
  private final AudioFormat format;
  private final int maxRead;
  private long frame;

  public SamplesDecoder(float[] interleaved, int rate, int channels) {
    this(interleaved, rate, channels, Integer.MAX_VALUE);
  }

  public SamplesDecoder(float[] interleaved, int rate, int channels, int maxRead) {
    this(
        interleaved,
        new AudioFormat(rate, channels, interleaved.length / channels, "pcm", 32),
        maxRead);
  }

  /** Hands the samples out as a decoder of {@code format} would (its codec and bit depth). */
  public SamplesDecoder(float[] interleaved, AudioFormat format) {
    this(interleaved, format, Integer.MAX_VALUE);
  }

  private SamplesDecoder(float[] interleaved, AudioFormat format, int maxRead) {
    this.samples = interleaved;
    this.format = format;
    this.maxRead = maxRead;
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) {
    int ch = format.channels();
    int n = (int) Math.min(Math.min(maxFrames, maxRead), format.frames() - frame);
    if (n <= 0) {
      return -1;
    }
    System.arraycopy(samples, (int) frame * ch, dst, offset, n * ch);
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
