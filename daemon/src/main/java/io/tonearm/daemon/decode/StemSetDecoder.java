package io.tonearm.daemon.decode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of stems (vocals, drums, bass...) decoded in lockstep: every read takes the same frames
 * from each stem, so the stems stay sample-locked through reads, seeks and the end. {@link
 * #readStems} gives them apart, stereo each (a mono stem is copied to both sides), for the engine's
 * mixer; {@link #read} gives their plain sum, for analysis and anything that wants one stream.
 *
 * <p>Stems must share one sample rate (a set of mixed rates is refused when opened) and have one or
 * two channels. A stem shorter than the others is padded with silence to the longest: the set ends
 * when its last stem does. Seeks are as exact as the stems' own decoders (exact for PCM and FLAC).
 * Not thread-safe, like every decoder: the decoder thread owns it and closes every stem.
 */
public final class StemSetDecoder implements Decoder {

  /** Channels of every stem as {@link #readStems} gives it. */
  public static final int STEM_CHANNELS = 2;

  private static final int BUFFER_FRAMES = 4096;

  private final List<Decoder> stems;
  private final StemLayout layout;
  private final AudioFormat format;
  private final float[][] scratch;
  private final boolean[] ended;
  private final float[] sum;
  private final int[] each;

  /**
   * Takes ownership of {@code decoders} (closed with this one, or at once when refused).
   *
   * @throws UnsupportedFormatException when the stems' rates differ or a stem has more than two
   *     channels
   */
  public StemSetDecoder(List<Decoder> decoders, StemLayout layout) throws IOException {
    this.stems = List.copyOf(decoders);
    this.layout = layout;
    try {
      if (stems.size() != layout.count()) {
        throw new IllegalArgumentException("one decoder per stem");
      }
      AudioFormat first = stems.get(0).format();
      long frames = 0;
      int bits = 0;
      List<String> rates = new ArrayList<>();
      boolean mixed = false;
      for (int i = 0; i < stems.size(); i++) {
        AudioFormat f = stems.get(i).format();
        rates.add(layout.names().get(i) + " " + f.sampleRate() + " Hz");
        mixed |= f.sampleRate() != first.sampleRate();
        if (f.channels() > STEM_CHANNELS) {
          throw new UnsupportedFormatException(
              "stem "
                  + layout.names().get(i)
                  + " has "
                  + f.channels()
                  + " channels; stems are"
                  + " mono or stereo");
        }
        frames = frames < 0 || f.frames() < 0 ? -1 : Math.max(frames, f.frames());
        bits = Math.max(bits, f.bitsPerSample());
      }
      if (mixed) {
        throw new UnsupportedFormatException(
            "stems of different sample rates ("
                + String.join(", ", rates)
                + "): a stem set"
                + " plays at one rate");
      }
      this.format = new AudioFormat(first.sampleRate(), STEM_CHANNELS, frames, "stems", bits);
    } catch (IOException | RuntimeException e) {
      closeAll(stems);
      throw e;
    }
    scratch = new float[stems.size()][BUFFER_FRAMES * STEM_CHANNELS];
    ended = new boolean[stems.size()];
    sum = new float[BUFFER_FRAMES * STEM_CHANNELS * stems.size()];
    each = new int[stems.size()];
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public StemLayout stems() {
    return layout;
  }

  @Override
  public int readStems(float[] dst, int offset, int maxFrames) throws IOException {
    int want = Math.min(maxFrames, BUFFER_FRAMES);
    int count = stems.size();
    int got = 0;
    for (int s = 0; s < count; s++) {
      each[s] = fill(s, want);
      got = Math.max(got, each[s]);
    }
    if (got == 0) {
      return want == 0 ? 0 : -1;
    }
    int stride = count * STEM_CHANNELS;
    for (int s = 0; s < count; s++) {
      float[] src = scratch[s];
      int ch = stems.get(s).format().channels();
      int n = each[s];
      for (int f = 0, d = offset + s * STEM_CHANNELS; f < got; f++, d += stride) {
        if (f >= n) {
          dst[d] = 0f; // a stem that ended is silence until the longest ends
          dst[d + 1] = 0f;
        } else if (ch == 2) {
          dst[d] = src[2 * f];
          dst[d + 1] = src[2 * f + 1];
        } else {
          dst[d] = src[f];
          dst[d + 1] = src[f];
        }
      }
    }
    return got;
  }

  /** Reads stem {@code s} until {@code want} frames or its end; returns the frames read. */
  private int fill(int s, int want) throws IOException {
    if (ended[s]) {
      return 0;
    }
    Decoder d = stems.get(s);
    int ch = d.format().channels();
    int have = 0;
    int idle = 0;
    while (have < want) {
      int n = d.read(scratch[s], have * ch, want - have);
      if (n < 0) {
        ended[s] = true;
        break;
      }
      idle = n == 0 ? idle + 1 : 0;
      if (idle > 1000) {
        throw new IOException("stem " + layout.names().get(s) + " returns no frames");
      }
      have += n;
    }
    return have;
  }

  /** The stems summed at unity gain, stereo. */
  @Override
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    int n = readStems(sum, 0, Math.min(maxFrames, BUFFER_FRAMES));
    int count = stems.size();
    for (int f = 0; f < n; f++) {
      float l = 0;
      float r = 0;
      for (int s = 0, p = f * count * STEM_CHANNELS; s < count; s++, p += STEM_CHANNELS) {
        l += sum[p];
        r += sum[p + 1];
      }
      dst[offset + 2 * f] = l;
      dst[offset + 2 * f + 1] = r;
    }
    return n;
  }

  @Override
  public void seek(long frame) throws IOException {
    if (frame < 0 || (format.frames() >= 0 && frame > format.frames())) {
      throw new IOException("seek to frame " + frame + " outside 0.." + format.frames());
    }
    for (int s = 0; s < stems.size(); s++) {
      Decoder d = stems.get(s);
      long len = d.format().frames();
      if (len >= 0 && frame >= len) {
        ended[s] = true; // this stem is over there: silence until the others end
      } else {
        d.seek(frame);
        ended[s] = false;
      }
    }
  }

  @Override
  public String takeProblem() {
    for (int s = 0; s < stems.size(); s++) {
      String p = stems.get(s).takeProblem();
      if (p != null) {
        return "stem " + layout.names().get(s) + ": " + p;
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    closeAll(stems);
  }

  static void closeAll(List<Decoder> decoders) {
    for (Decoder d : decoders) {
      try {
        d.close();
      } catch (IOException e) {
        // only read from: nothing to recover
      }
    }
  }
}
