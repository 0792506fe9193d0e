package io.tonearm.daemon.analysis;

import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A whole track's waveform overview in BBC audiowaveform's formats, byte for byte as {@code
 * audiowaveform -b BITS --pixels-per-second / -z SPP} writes them, so peaks.js and waveform-data.js
 * read it as is.
 *
 * <p>As audiowaveform does, samples are taken as 16-bit integers the way it reads each source (see
 * {@link #toShort(float, int)}: libsndfile's top 16 bits of deeper integer samples, its own
 * truncation of float samples times 32767), channels are averaged into one (integer division,
 * truncating) unless {@code splitChannels}, and each pixel holds the min and max of {@code
 * samplesPerPixel} frames; a last partial pixel is kept. 8-bit values are the 16-bit ones divided
 * by 256 (truncating). Binary ({@code .dat}): little-endian header version (int32), flags (uint32,
 * bit 0 set for 8-bit), sample rate (int32), samples per pixel (int32), length in pixels (uint32),
 * and for version 2 channels (int32); then min, max per channel per pixel. JSON: {@code
 * {"version":2,"channels":1,"sample_rate":...,"samples_per_pixel":...,"bits":8,"length":...,"data":[...]}}
 * (version 1 has no channels field). Runs on the caller's thread (a job); not for the audio path.
 */
public final class WaveformOverview {

  /** Fewest samples per pixel audiowaveform accepts. */
  public static final int MIN_SAMPLES_PER_PIXEL = 2;

  /** Most pixels an overview may hold, to bound memory (about 30 hours at 256 samples/pixel). */
  public static final int MAX_PIXELS = 20_000_000;

  private final int sampleRate;
  private final int samplesPerPixel;
  private final int channels;
  private final short[] data; // min, max per channel per pixel
  private final int length;

  private WaveformOverview(int rate, int spp, int channels, short[] data, int length) {
    this.sampleRate = rate;
    this.samplesPerPixel = spp;
    this.channels = channels;
    this.data = data;
    this.length = length;
  }

  /**
   * Reads {@code decoder} to its end and builds the overview.
   *
   * @param splitChannels one waveform per channel (version 2 only) instead of the mean
   * @throws IllegalArgumentException when samplesPerPixel is below 2
   * @throws IOException when the decoder fails, or the overview would exceed {@link #MAX_PIXELS}
   */
  public static WaveformOverview generate(
      Decoder decoder, int samplesPerPixel, boolean splitChannels) throws IOException {
    if (samplesPerPixel < MIN_SAMPLES_PER_PIXEL) {
      throw new IllegalArgumentException(
          "samples per pixel must be at least " + MIN_SAMPLES_PER_PIXEL + ": " + samplesPerPixel);
    }
    AudioFormat fmt = decoder.format();
    int rule = ruleFor(fmt);
    int in = fmt.channels();
    int out = splitChannels ? in : 1;
    long expected = fmt.frames() < 0 ? 1024 : fmt.frames() / samplesPerPixel + 1;
    short[] data = new short[(int) Math.min(expected, MAX_PIXELS) * 2 * out];
    int[] min = new int[out];
    int[] max = new int[out];
    java.util.Arrays.fill(min, Short.MAX_VALUE);
    java.util.Arrays.fill(max, Short.MIN_VALUE);
    float[] buf = new float[4096 * in];
    int count = 0;
    int pixels = 0;
    int n;
    while ((n = decoder.read(buf, 0, 4096)) > 0) {
      for (int i = 0; i < n; i++) {
        int p = i * in;
        if (out == 1) {
          int sum = 0;
          for (int c = 0; c < in; c++) {
            sum += toShort(buf[p + c], rule);
          }
          int s = sum / in;
          min[0] = Math.min(min[0], s);
          max[0] = Math.max(max[0], s);
        } else {
          for (int c = 0; c < in; c++) {
            int s = toShort(buf[p + c], rule);
            min[c] = Math.min(min[c], s);
            max[c] = Math.max(max[c], s);
          }
        }
        if (++count == samplesPerPixel) {
          data = append(data, pixels++, min, max);
          count = 0;
        }
      }
    }
    if (count > 0) {
      data = append(data, pixels++, min, max);
    }
    return new WaveformOverview(fmt.sampleRate(), samplesPerPixel, out, data, pixels);
  }

  private static short[] append(short[] data, int pixel, int[] min, int[] max) throws IOException {
    int ch = min.length;
    if (pixel >= MAX_PIXELS) {
      throw new IOException("overview longer than " + MAX_PIXELS + " pixels");
    }
    if ((pixel + 1) * 2 * ch > data.length) {
      data = java.util.Arrays.copyOf(data, Math.min(MAX_PIXELS * 2 * ch, data.length * 2 + 2 * ch));
    }
    for (int c = 0; c < ch; c++) {
      data[(pixel * ch + c) * 2] = (short) min[c];
      data[(pixel * ch + c) * 2 + 1] = (short) max[c];
      min[c] = Short.MAX_VALUE;
      max[c] = Short.MIN_VALUE;
    }
    return data;
  }

  /** 16 bits or fewer, and lossy sources: round(s * 32768), exact for integer sources. */
  static final int ROUND = 0;

  /** Integer sources deeper than 16 bits: floor(s * 32768), libsndfile's top 16 bits. */
  static final int TOP_BITS = 1;

  /** Float WAV and AIFF: audiowaveform scales by 32767 and truncates toward zero. */
  static final int FLOAT_TRUNCATE = 2;

  /** How audiowaveform turns samples of this format into 16-bit integers. */
  static int ruleFor(AudioFormat fmt) {
    if (fmt.bitsPerSample() > 16) {
      return TOP_BITS;
    }
    boolean pcm = fmt.codec().equals("wav") || fmt.codec().equals("aiff");
    return pcm && fmt.bitsPerSample() == 0 ? FLOAT_TRUNCATE : ROUND;
  }

  /**
   * A float sample as the 16-bit integer audiowaveform works on, by {@code rule}: integer sources
   * deeper than 16 bits keep their top 16 bits (libsndfile's sf_readf_short shifts right, which
   * floors), float sources become (short) (s * 32767), truncated toward zero, as its reader does;
   * others round. Values beyond full scale are clamped (where audiowaveform's cast is undefined);
   * NaN reads 0.
   */
  static int toShort(float s, int rule) {
    if (s != s) {
      return 0;
    }
    double v =
        switch (rule) {
          case TOP_BITS -> Math.floor(s * 32768.0);
          case FLOAT_TRUNCATE -> (long) (s * 32767f); // in float, as audiowaveform; toward zero
          default -> Math.round(s * 32768.0);
        };
    return (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
  }

  /** Pixels (min/max pairs per channel). */
  public int length() {
    return length;
  }

  /** Waveform channels: 1 unless split. */
  public int channels() {
    return channels;
  }

  /** The 16-bit min (even index) and max of pixel {@code i}, channel {@code c}. */
  public short value(int i, int c, boolean maxNotMin) {
    return data[(i * channels + c) * 2 + (maxNotMin ? 1 : 0)];
  }

  /**
   * The binary .dat file.
   *
   * @param bits 8 or 16
   * @param version 1 (single channel only) or 2
   */
  public byte[] toDat(int bits, int version) {
    check(bits, version);
    int values = length * channels * 2;
    ByteBuffer b =
        ByteBuffer.allocate((version == 2 ? 24 : 20) + values * (bits / 8))
            .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(version).putInt(bits == 8 ? 1 : 0).putInt(sampleRate).putInt(samplesPerPixel);
    b.putInt(length);
    if (version == 2) {
      b.putInt(channels);
    }
    for (int i = 0; i < values; i++) {
      if (bits == 8) {
        b.put((byte) (data[i] / 256));
      } else {
        b.putShort(data[i]);
      }
    }
    return b.array();
  }

  /** The JSON file, as audiowaveform writes it (one line, a trailing newline). */
  public byte[] toJson(int bits, int version) {
    check(bits, version);
    StringBuilder s = new StringBuilder(32 + length * channels * 10);
    s.append("{\"version\":").append(version);
    if (version == 2) {
      s.append(",\"channels\":").append(channels);
    }
    s.append(",\"sample_rate\":").append(sampleRate);
    s.append(",\"samples_per_pixel\":").append(samplesPerPixel);
    s.append(",\"bits\":").append(bits);
    s.append(",\"length\":").append(length);
    s.append(",\"data\":[");
    int values = length * channels * 2;
    for (int i = 0; i < values; i++) {
      if (i > 0) {
        s.append(',');
      }
      s.append(bits == 8 ? data[i] / 256 : data[i]);
    }
    s.append("]}\n");
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private void check(int bits, int version) {
    if (bits != 8 && bits != 16) {
      throw new IllegalArgumentException("bits must be 8 or 16: " + bits);
    }
    if (version != 1 && version != 2) {
      throw new IllegalArgumentException("version must be 1 or 2: " + version);
    }
    if (version == 1 && channels != 1) {
      throw new IllegalArgumentException("version 1 holds one channel; use version 2 for split");
    }
  }

  /** Convenience for a job: generate and encode in one call. */
  public static byte[] dat(Decoder decoder, int samplesPerPixel, int bits, int version)
      throws IOException {
    return generate(decoder, samplesPerPixel, false).toDat(bits, version);
  }
}
