package io.tonearm.daemon.analysis;

import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;

/** A decoder over samples in memory, handing them out in small reads. */
final class ArrayDecoder implements Decoder {
  private final float[] samples;
  private final AudioFormat format;
  private int frame;

  ArrayDecoder(float[] interleaved, int rate, int channels) {
    this.samples = interleaved;
    this.format = new AudioFormat(rate, channels, interleaved.length / channels, "pcm", 32);
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) {
    int ch = format.channels();
    int n = (int) Math.min(Math.min(maxFrames, 1000), format.frames() - frame);
    if (n <= 0) {
      return -1;
    }
    System.arraycopy(samples, frame * ch, dst, offset, n * ch);
    frame += n;
    return n;
  }

  @Override
  public void seek(long f) {
    frame = (int) f;
  }

  @Override
  public void close() {}
}
