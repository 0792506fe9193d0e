package io.tonearm.daemon.output;

/**
 * The one conversion from the engine's float samples to the signed integers an output sends, for
 * 16- and 24-bit words: {@code s * 2^(bits-1)}, the inverse of the decoders' {@code v /
 * 2^(bits-1)}, so that a source of at most the output's depth played at unity comes back bit for
 * bit (-1.0, the most negative word, included); values past full scale clip.
 *
 * <p>Dither: when a chunk holds a sample that is not a whole word at the output's depth (a gain
 * other than unity, ReplayGain, resampling, or a deeper source reduced the word length), every
 * sample of the chunk gets TPDF dither (the sum of two independent uniform values, ±1 LSB peak,
 * triangular) before rounding, so that quiet passages fade into a constant noise floor instead of
 * distortion that follows the signal. Chunks of whole words (unity gain, digital silence) are never
 * dithered. With dither off, samples are rounded to the nearest word.
 *
 * <p>Not thread-safe: one instance per output, used on the output thread. Allocation-free.
 */
public final class Quantizer {

  private final int bits;
  private final int bytes;
  private final float scale;
  private final int max;
  private final int min;
  private final boolean dither;
  private long state = 0x9E3779B97F4A7C15L; // xorshift64*: fixed seed, reproducible

  /**
   * @param bits output word length: 16 or 24
   * @param dither whether to add TPDF dither when the word length is reduced
   */
  public Quantizer(int bits, boolean dither) {
    if (bits != 16 && bits != 24) {
      throw new IllegalArgumentException("bits must be 16 or 24: " + bits);
    }
    this.bits = bits;
    this.bytes = bits / 8;
    this.scale = 1 << (bits - 1);
    this.max = (1 << (bits - 1)) - 1;
    this.min = -(1 << (bits - 1));
    this.dither = dither;
  }

  /** Output word length in bits. */
  public int bits() {
    return bits;
  }

  /** True when word-length reductions are dithered. */
  public boolean dithers() {
    return dither;
  }

  /** How the conversion is stated in an output's description, e.g. "16-bit PCM, TPDF dither". */
  public String describe() {
    return bits + "-bit PCM, " + (dither ? "TPDF dither" : "no dither");
  }

  /**
   * Converts {@code samples} samples from {@code src[offset]} into little-endian words ({@code bits
   * / 8} bytes each) at {@code dst[dstOffset]}.
   *
   * @return the bytes written
   */
  public int toLittleEndian(float[] src, int offset, int samples, byte[] dst, int dstOffset) {
    boolean dithered = dither && !whole(src, offset, samples);
    int o = dstOffset;
    for (int i = offset, end = offset + samples; i < end; i++) {
      int v = dithered ? ditheredWord(src[i]) : word(src[i]);
      dst[o] = (byte) v;
      dst[o + 1] = (byte) (v >> 8);
      if (bytes == 3) {
        dst[o + 2] = (byte) (v >> 16);
      }
      o += bytes;
    }
    return o - dstOffset;
  }

  /** True when every sample is a whole word at this depth (or NaN-free silence). */
  private boolean whole(float[] src, int offset, int samples) {
    for (int i = offset, end = offset + samples; i < end; i++) {
      float v = src[i] * scale; // exact: the scale is a power of two
      if (v != (float) Math.rint(v) && v > min && v < max) {
        return false;
      }
    }
    return true;
  }

  /** The nearest word, clipped; NaN reads 0. */
  int word(float s) {
    double v = Math.rint((double) s * scale);
    return v >= max ? max : v <= min ? min : (int) v; // NaN fails both tests: (int) NaN is 0
  }

  /** The word after TPDF dither of ±1 LSB, clipped. */
  int ditheredWord(float s) {
    long x = state;
    x ^= x >>> 12;
    x ^= x << 25;
    x ^= x >>> 27;
    state = x;
    long r = x * 0x2545F4914F6CDD1DL;
    double tpdf = ((r >>> 40) + ((r >>> 16) & 0xFFFFFF)) * 0x1p-24 - 1.0; // (-1, 1), triangular
    double v = Math.floor((double) s * scale + tpdf + 0.5);
    return v >= max ? max : v <= min ? min : (int) v;
  }
}
