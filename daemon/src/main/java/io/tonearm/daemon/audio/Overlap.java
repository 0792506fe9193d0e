package io.tonearm.daemon.audio;

import io.tonearm.daemon.decode.Decoder;
import java.io.IOException;

/**
 * The outgoing play of a crossfade: its decoder, read block by block and mixed into the incoming
 * play's samples. With a fade, frame {@code k} of an overlap of {@code L} frames weighs the
 * incoming play by {@code sin(t π/2)} and the outgoing by {@code cos(t π/2)}, {@code t = (k + 0.5)
 * / L}, so the two gains' squares sum to 1 (constant power for unrelated signals); without, both
 * weigh 1 (MixRamp). Decoder thread only; allocates only in its constructor. Public for the bench
 * module's {@code ShapingBench}; the engine makes its own.
 */
public final class Overlap {

  private final float[] scratch = new float[PcmBlock.CAPACITY];
  private Play play;
  private Decoder decoder;
  private long length;
  private long position;
  private boolean fade;

  /** True while frames of the overlap remain (the incoming play is still fading in). */
  public boolean active() {
    return position < length;
  }

  /**
   * Starts an overlap of {@code frames} frames with {@code outgoing}, read from {@code decoder},
   * which this now owns.
   */
  public void begin(Play outgoing, Decoder decoder, long frames, boolean fade) {
    close();
    this.play = outgoing;
    this.decoder = decoder;
    this.length = frames;
    this.position = 0;
    this.fade = fade;
  }

  /**
   * Mixes the next {@code frames} frames of the overlap into {@code dst} (interleaved, from 0),
   * which holds the incoming play's samples with its own gain applied. Frames past the overlap are
   * left as they are. An outgoing play that ends early (its length was an estimate) or fails to
   * read adds silence from there.
   */
  public void mixInto(float[] dst, int frames, int channels) {
    int got = 0;
    while (decoder != null && got < frames) {
      int n;
      try {
        n = decoder.read(scratch, got * channels, frames - got);
      } catch (IOException | RuntimeException e) {
        n = -1; // the outgoing play is no longer the current one: it just ends here
      }
      if (n <= 0) {
        closeDecoder();
      } else {
        got += n;
      }
    }
    float outGain = play == null ? 0f : play.gain();
    int mixed = (int) Math.min(frames, length - position);
    for (int f = 0; f < mixed; f++) {
      float in = 1f;
      float out = outGain;
      if (fade) {
        double angle = (position + f + 0.5) / length * (Math.PI / 2);
        in = (float) Math.sin(angle);
        out *= (float) Math.cos(angle);
      }
      for (int c = 0, i = f * channels; c < channels; c++, i++) {
        dst[i] = f < got ? dst[i] * in + scratch[i] * out : dst[i] * in;
      }
    }
    position += mixed;
    if (position >= length) {
      close();
    }
  }

  /** Ends the overlap now, closing the outgoing decoder. */
  public void close() {
    closeDecoder();
    play = null;
    length = 0;
    position = 0;
  }

  private void closeDecoder() {
    if (decoder != null) {
      try {
        decoder.close();
      } catch (IOException e) {
        // Nothing to recover: the file was only being read.
      }
      decoder = null;
    }
  }
}
