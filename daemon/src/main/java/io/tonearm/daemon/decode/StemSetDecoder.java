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
 * <p>The set plays at its first stem's sample rate: a stem at another rate is converted to it by a
 * {@link ResampledDecoder}, sample-locked (its frame {@code n} is its input at time {@code n /
 * rate} exactly, and seeks stay exact), and a rate that cannot be converted exactly is refused when
 * opened. Why the first stem's rather than the highest: the manifest's author chooses it (the first
 * line), and a set is usually one rate with an odd stem out, which is then the only one converted
 * (converting costs about 140 filter taps per output sample and channel). Stems have one or two
 * channels. A stem shorter than the others is padded with silence to the longest: the set ends when
 * its last stem does. Seeks are as exact as the stems' own decoders (exact for PCM and FLAC). Not
 * thread-safe, like every decoder: the decoder thread owns it and closes every stem.
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
   * @throws UnsupportedFormatException when a stem's rate cannot be converted exactly to the first
   *     stem's, or a stem has more than two channels
   */
  public StemSetDecoder(List<Decoder> decoders, StemLayout layout) throws IOException {
    List<Decoder> given = List.copyOf(decoders);
    List<Decoder> locked = new ArrayList<>(given);
    try {
      if (given.size() != layout.count()) {
        throw new IllegalArgumentException("one decoder per stem");
      }
      int rate = given.get(0).format().sampleRate();
      long frames = 0;
      int bits = 0;
      for (int i = 0; i < given.size(); i++) {
        AudioFormat f = given.get(i).format();
        String name = layout.names().get(i);
        if (f.channels() > STEM_CHANNELS) {
          throw new UnsupportedFormatException(
              "stem " + name + " has " + f.channels() + " channels; stems are mono or stereo");
        }
        if (f.sampleRate() != rate) {
          try {
            locked.set(i, new ResampledDecoder(given.get(i), rate));
          } catch (UnsupportedFormatException e) {
            throw new UnsupportedFormatException(
                "stem "
                    + name
                    + " ("
                    + f.sampleRate()
                    + " Hz) cannot join a set at "
                    + layout.names().get(0)
                    + "'s "
                    + rate
                    + " Hz: "
                    + e.getMessage());
          }
        }
        long length = locked.get(i).format().frames(); // compared after conversion
        frames = frames < 0 || length < 0 ? -1 : Math.max(frames, length);
        bits = Math.max(bits, f.bitsPerSample());
      }
      this.format = new AudioFormat(rate, STEM_CHANNELS, frames, "stems", bits);
    } catch (IOException | RuntimeException e) {
      closeAll(given);
      throw e;
    }
    this.stems = List.copyOf(locked);
    this.layout = layout;
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
