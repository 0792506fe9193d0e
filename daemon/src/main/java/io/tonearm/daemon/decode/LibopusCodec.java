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
 * are libopus's own, the reference decoder's. The multistream API serves every channel mapping
 * family, mono and stereo included. Packet and PCM buffers live in native memory allocated once, so
 * a packet costs two copies (packet in, frames out) and no allocation. Not thread-safe.
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

    String opus_get_version_string();
  }

  private static final int OPUS_RESET_STATE = 4028;
  private static final int OPUS_SET_GAIN = 4034;

  private static final Api LIB = load();

  private final int channels;
  private final int gainQ8;
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
    if (LIB == null) {
      throw new IOException("libopus is not available");
    }
    this.channels = channels;
    this.gainQ8 = gainQ8;
    byte[] map = new byte[channels];
    for (int c = 0; c < channels; c++) {
      map[c] = (byte) mapping[c];
    }
    IntByReference err = new IntByReference();
    state = LIB.opus_multistream_decoder_create(48_000, channels, streams, coupled, map, err);
    if (state == null || err.getValue() != 0) {
      throw new IOException("libopus cannot create a decoder: error " + err.getValue());
    }
    pcmOut = new Memory((long) maxFrames * channels * Float.BYTES);
    setGain();
  }

  private void setGain() throws IOException {
    int r = LIB.opus_multistream_decoder_ctl(state, OPUS_SET_GAIN, gainQ8);
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
    int n = LIB.opus_multistream_decode_float(state, packetIn, length, pcmOut, maxFrames, 0);
    if (n < 0) {
      throw new IOException("corrupt Opus packet: libopus error " + n);
    }
    pcmOut.read(0, pcm, 0, n * channels);
    return n;
  }

  @Override
  public void reset() throws IOException {
    int r = LIB.opus_multistream_decoder_ctl(state, OPUS_RESET_STATE);
    if (r != 0) {
      throw new IOException("libopus cannot reset: error " + r);
    }
  }

  @Override
  public void close() {
    if (state != null) {
      LIB.opus_multistream_decoder_destroy(state);
      state = null;
    }
  }
}
