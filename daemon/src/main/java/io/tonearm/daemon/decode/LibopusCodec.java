package io.tonearm.daemon.decode;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;

/**
 * Opus through the system's libopus ({@code libopus.so.0}, loaded with JNA), decoding in floating
 * point ({@code opus_multistream_decode_float}): peaks above full scale survive, and the samples
 * are libopus's own, the reference decoder's. A mono or stereo stream in channel order (mapping
 * family 0, and family 1 with one stream in order) goes to the plain decoder ({@code
 * opus_decode_float}); every other layout to the multistream one. The plain decoder gives the same
 * samples and costs about 0.6 of the multistream one for the same stereo packets (libopus 1.3.1,
 * the bench corpus's 27 stereo files: 0.22 against 0.38 % of a core). Packet and PCM buffers live
 * in native memory allocated once, so a packet costs two copies (packet in, frames out) and no
 * allocation. Not thread-safe.
 */
final class LibopusCodec implements OpusCodec {

  /** The libopus calls used, as JNA maps them (RFC 6716's reference implementation API). */
  interface Api extends Library {
    Pointer opus_multistream_decoder_create(
        int fs, int channels, int streams, int coupled, byte[] mapping, IntByReference error);

    int opus_multistream_decode_float(
        Pointer st, Pointer data, int len, Pointer pcm, int frameSize, int decodeFec);

    int opus_multistream_decoder_ctl(Pointer st, int request, Object... args);

    void opus_multistream_decoder_destroy(Pointer st);

    Pointer opus_decoder_create(int fs, int channels, IntByReference error);

    int opus_decode_float(Pointer st, Pointer data, int len, Pointer pcm, int frameSize, int fec);

    int opus_decoder_ctl(Pointer st, int request, Object... args);

    void opus_decoder_destroy(Pointer st);

    String opus_get_version_string();
  }

  private static final int OPUS_RESET_STATE = 4028;
  private static final int OPUS_SET_GAIN = 4034;

  private static final Api LIB = load();

  private final int channels;
  private final int gainQ8;
  private final boolean plain; // the single-stream decoder, else the multistream one
  private Pointer state;
  private final Memory pcmOut;
  private Memory packetIn = new Memory(4096);

  private static Api load() {
    if (Boolean.getBoolean("tonearm.opus.concentus")) {
      return null; // forced off, for comparisons
    }
    // The Debian runtime package (libopus0) has only the versioned name; "opus" finds the library
    // elsewhere (libopus.dylib, opus.dll).
    for (String name : new String[] {"libopus.so.0", "opus"}) {
      try {
        return Native.load(name, Api.class);
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        // try the next name
      }
    }
    return null;
  }

  /** True when libopus could be loaded (and was not switched off with -Dtonearm.opus.concentus). */
  static boolean available() {
    return LIB != null;
  }

  /** libopus's version, e.g. "libopus 1.3.1", or null when it is not loaded. */
  static String version() {
    return LIB == null ? null : LIB.opus_get_version_string();
  }

  LibopusCodec(int channels, int streams, int coupled, short[] mapping, int gainQ8, int maxFrames)
      throws IOException {
    this(channels, streams, coupled, mapping, gainQ8, maxFrames, true);
  }

  /**
   * @param plainWhenInOrder use the single-stream decoder when the layout allows it (false: always
   *     the multistream one, to compare)
   */
  LibopusCodec(
      int channels,
      int streams,
      int coupled,
      short[] mapping,
      int gainQ8,
      int maxFrames,
      boolean plainWhenInOrder)
      throws IOException {
    if (LIB == null) {
      throw new IOException("libopus is not available");
    }
    this.channels = channels;
    this.gainQ8 = gainQ8;
    this.plain = plainWhenInOrder && isPlain(channels, streams, coupled, mapping);
    byte[] map = new byte[channels];
    for (int c = 0; c < channels; c++) {
      map[c] = (byte) mapping[c];
    }
    IntByReference err = new IntByReference();
    state =
        plain
            ? LIB.opus_decoder_create(48_000, channels, err)
            : LIB.opus_multistream_decoder_create(48_000, channels, streams, coupled, map, err);
    if (state == null || err.getValue() != 0) {
      throw new IOException("libopus cannot create a decoder: error " + err.getValue());
    }
    pcmOut = new Memory((long) maxFrames * channels * Float.BYTES);
    setGain();
  }

  /** One stream holding every channel in order: mono, or stereo coupled as left and right. */
  static boolean isPlain(int channels, int streams, int coupled, short[] mapping) {
    return streams == 1
        && (channels == 1 && coupled == 0 && mapping[0] == 0
            || channels == 2 && coupled == 1 && mapping[0] == 0 && mapping[1] == 1);
  }

  /** Whether this codec uses the single-stream decoder. */
  boolean plain() {
    return plain;
  }

  private int ctl(int request, Object... args) {
    return plain
        ? LIB.opus_decoder_ctl(state, request, args)
        : LIB.opus_multistream_decoder_ctl(state, request, args);
  }

  private void setGain() throws IOException {
    int r = ctl(OPUS_SET_GAIN, gainQ8);
    if (r != 0) {
      throw new IOException("libopus refused the output gain " + gainQ8 + ": error " + r);
    }
  }

  @Override
  public int decode(byte[] packet, int length, float[] pcm, int maxFrames) throws IOException {
    if (packetIn.size() < length) {
      packetIn = new Memory(Math.max(length, packetIn.size() * 2));
    }
    packetIn.write(0, packet, 0, length);
    int n =
        plain
            ? LIB.opus_decode_float(state, packetIn, length, pcmOut, maxFrames, 0)
            : LIB.opus_multistream_decode_float(state, packetIn, length, pcmOut, maxFrames, 0);
    if (n < 0) {
      throw new IOException("corrupt Opus packet: libopus error " + n);
    }
    pcmOut.read(0, pcm, 0, n * channels);
    return n;
  }

  @Override
  public void reset() throws IOException {
    int r = ctl(OPUS_RESET_STATE);
    if (r != 0) {
      throw new IOException("libopus cannot reset: error " + r);
    }
  }

  @Override
  public void close() {
    if (state != null) {
      if (plain) {
        LIB.opus_decoder_destroy(state);
      } else {
        LIB.opus_multistream_decoder_destroy(state);
      }
      state = null;
    }
  }
}
