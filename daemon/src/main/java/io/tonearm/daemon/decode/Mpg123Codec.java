package io.tonearm.daemon.decode;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * MPEG audio frames through the system's libmpg123 ({@code libmpg123.so.0}, loaded with JNA), the
 * decoder MPD and most Linux players use, in its feed mode with 32-bit float output (full scale
 * 1.0, peaks above it kept). {@link Mp3Decoder} finds the frames ({@link Mp3Frames}) and hands them
 * over one at a time, so the sample accounting (gapless trim, seeks) is the same as with JLayer:
 * libmpg123's own gapless trim and Info-frame handling are off and the Info frame is never fed. The
 * frame and PCM buffers are native memory allocated once: a frame costs one copy in and one out,
 * and no Java allocation. Not thread-safe: one decoding thread.
 */
final class Mpg123Codec implements AutoCloseable {

  /** The libmpg123 calls used, as JNA maps them (mpg123.h, API of libmpg123 1.x). */
  interface Api extends Library {
    int mpg123_init();

    Pointer mpg123_new(String decoder, IntByReference error);

    int mpg123_param(Pointer mh, int type, NativeLong value, double fvalue);

    int mpg123_format_none(Pointer mh);

    int mpg123_format(Pointer mh, NativeLong rate, int channels, int encodings);

    int mpg123_open_feed(Pointer mh);

    int mpg123_decode(
        Pointer mh,
        Pointer in,
        NativeLong inSize,
        Pointer out,
        NativeLong outSize,
        NativeLongByReference done);

    int mpg123_close(Pointer mh);

    void mpg123_delete(Pointer mh);

    String mpg123_plain_strerror(int error);
  }

  private static final int MPG123_FLAGS = 1;
  private static final int MPG123_QUIET = 0x20;
  private static final int MPG123_FORCE_FLOAT = 0x400;
  private static final int MPG123_MONO = 1;
  private static final int MPG123_STEREO = 2;
  private static final int MPG123_ENC_FLOAT_32 = 0x200;
  private static final int MPG123_NEW_FORMAT = -11;
  private static final int MPG123_NEED_MORE = -10;
  private static final int MPG123_OK = 0;

  /** Largest MPEG audio frame in bytes (layer II at 384 kb/s and 8 kHz, MPEG-2.5: 6,913). */
  static final int MAX_FRAME_BYTES = 8192;

  private static final Api LIB = load();

  private final int channels;
  private final int maxFrames;
  private final Memory in = new Memory(MAX_FRAME_BYTES);
  private final ByteBuffer inBytes =
      in.getByteBuffer(0, MAX_FRAME_BYTES).order(java.nio.ByteOrder.BIG_ENDIAN);
  private final Memory out;
  private final NativeLongByReference done = new NativeLongByReference();
  private final NativeLong outSize;
  private final NativeLong inSize = new NativeLong(0);
  private final NativeLong noInput = new NativeLong(0);
  private Pointer handle;

  private static Api load() {
    if (Boolean.getBoolean("tonearm.mp3.jlayer")) {
      return null; // forced off, for comparisons
    }
    // Debian's runtime package (libmpg123-0) has only the versioned name.
    for (String name : new String[] {"libmpg123.so.0", "mpg123"}) {
      try {
        Api api = Native.load(name, Api.class);
        api.mpg123_init(); // needed before 1.27, a no-op since
        return api;
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        // try the next name
      }
    }
    return null;
  }

  /** True when libmpg123 could be loaded (and was not switched off with -Dtonearm.mp3.jlayer). */
  static boolean available() {
    return LIB != null;
  }

  /**
   * A decoder for frames of {@code channels} channels at {@code rate} Hz, each at most {@code
   * maxFrames} samples per channel (1,152).
   */
  Mpg123Codec(int rate, int channels, int maxFrames) throws IOException {
    if (LIB == null) {
      throw new IOException("libmpg123 is not available");
    }
    this.channels = channels;
    this.maxFrames = maxFrames;
    // Room for one more frame than asked: libmpg123 may hand out two frames' output in one call.
    out = new Memory(2L * maxFrames * channels * Float.BYTES);
    outSize = new NativeLong(out.size());
    IntByReference err = new IntByReference();
    handle = LIB.mpg123_new(null, err);
    if (handle == null) {
      throw new IOException("libmpg123 cannot create a decoder: " + error(err.getValue()));
    }
    try {
      check(
          LIB.mpg123_param(
              handle, MPG123_FLAGS, new NativeLong(MPG123_QUIET | MPG123_FORCE_FLOAT), 0));
      check(LIB.mpg123_format_none(handle));
      check(
          LIB.mpg123_format(
              handle,
              new NativeLong(rate),
              channels == 1 ? MPG123_MONO : MPG123_STEREO,
              MPG123_ENC_FLOAT_32));
      check(LIB.mpg123_open_feed(handle));
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private static String error(int code) {
    return LIB.mpg123_plain_strerror(code) + " (" + code + ")";
  }

  private static void check(int r) throws IOException {
    if (r != MPG123_OK) {
      throw new IOException("libmpg123: " + error(r));
    }
  }

  /**
   * The native buffer to put a frame's bytes in before {@link #decode}, {@link #MAX_FRAME_BYTES}
   * long, its position and limit the caller's.
   */
  ByteBuffer input() {
    return inBytes;
  }

  /**
   * Decodes the {@code length} bytes in {@link #input()} (one frame) into {@code pcm}, interleaved,
   * from {@code offset}; returns the samples per channel written, which may be 0 (libmpg123 wants
   * more data first) or up to twice {@code maxFrames} ({@code pcm} must have that room).
   */
  int decode(int length, float[] pcm, int offset) throws IOException {
    int written = 0;
    Pointer data = in;
    inSize.setValue(length);
    NativeLong size = inSize;
    while (true) {
      int r = LIB.mpg123_decode(handle, data, size, out, outSize, done);
      data = null;
      size = noInput;
      int samples = (int) (done.getValue().longValue() / Float.BYTES);
      if (samples > 0) {
        if (offset + written * channels + samples > pcm.length) {
          throw new IOException("libmpg123 produced more than two frames' output at once");
        }
        out.read(0, pcm, offset + written * channels, samples);
        written += samples / channels;
      }
      if (r == MPG123_NEED_MORE) {
        return written;
      }
      if (r != MPG123_OK && r != MPG123_NEW_FORMAT) {
        throw new IOException("libmpg123: " + error(r));
      }
      if (r == MPG123_OK && samples == 0) {
        return written;
      }
    }
  }

  /** Forgets the stream (bit reservoir, filter state): the next frame starts a new one. */
  void reset() throws IOException {
    LIB.mpg123_close(handle);
    check(LIB.mpg123_open_feed(handle));
  }

  int maxFrames() {
    return maxFrames;
  }

  @Override
  public void close() {
    if (handle != null) {
      LIB.mpg123_close(handle);
      LIB.mpg123_delete(handle);
      handle = null;
    }
  }
}
