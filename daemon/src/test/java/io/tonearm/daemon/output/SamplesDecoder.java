package io.tonearm.daemon.output;

import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;

/** A decoder over interleaved samples in memory, for playing known signals through the engine. */
final class SamplesDecoder implements Decoder {
  private final float[] samples;
  private final AudioFormat format;
  private long frame;

  SamplesDecoder(float[] interleaved, int rate, int channels) {
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
    int n = (int) Math.min(maxFrames, format.frames() - frame);
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
