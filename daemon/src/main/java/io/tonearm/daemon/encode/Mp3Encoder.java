package io.tonearm.daemon.encode;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A live MP3 stream encoded by the system's libmp3lame (LAME 3.100, through JNA): constant {@link
 * #BITRATE_KBPS} kbit/s, LAME's defaults otherwise (joint stereo, its default quality), no
 * Xing/Info tag (a live stream has no length). MP3 has no stream header: {@link #header()} is
 * empty, and this encoder emits whole MPEG frames only (LAME's output is cut at frame headers), so
 * a listener joining between two calls starts on a frame boundary. Rates MP3 has (8 to 48 kHz) are
 * kept; others are converted by LAME. Mono and stereo only.
 *
 * <p>Not thread-safe: the stream output's thread owns it; {@link #close} frees LAME's state.
 */
public final class Mp3Encoder implements AutoCloseable {

  /** Constant bit rate, kbit/s. */
  public static final int BITRATE_KBPS = 192;

  interface Api extends Library {
    Pointer lame_init();

    int lame_set_in_samplerate(Pointer gfp, int rate);

    int lame_set_num_channels(Pointer gfp, int channels);

    int lame_set_brate(Pointer gfp, int kbps);

    int lame_set_bWriteVbrTag(Pointer gfp, int write);

    int lame_init_params(Pointer gfp);

    int lame_get_encoder_delay(Pointer gfp);

    int lame_get_out_samplerate(Pointer gfp);

    int lame_encode_buffer_interleaved_ieee_float(
        Pointer gfp, Pointer pcm, int frames, Pointer mp3buf, int mp3bufSize);

    int lame_close(Pointer gfp);

    String get_lame_version();
  }

  private static final Api LIB = load();
  private static final int MAX_FRAMES_PER_CALL = 4096;

  private final int channels;
  private Pointer gfp;
  private final Memory pcmIn;
  private final Memory mp3Out;
  private final int mp3OutSize;
  private final int outRate;
  private final int delay;
  private byte[] pending = new byte[16 * 1024]; // LAME output not yet cut into whole frames
  private int pendingLength;

  private static Api load() {
    for (String name : new String[] {"libmp3lame.so.0", "mp3lame"}) {
      try {
        return Native.load(name, Api.class);
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        // try the next name
      }
    }
    return null;
  }

  /** True when libmp3lame could be loaded. */
  public static boolean available() {
    return LIB != null;
  }

  /** LAME's version, e.g. "3.100", or null. */
  public static String version() {
    return LIB == null ? null : LIB.get_lame_version();
  }

  /**
   * @param rate the stream's frames per second
   * @param channels 1 or 2
   * @throws IllegalArgumentException for more than 2 channels
   * @throws IllegalStateException when libmp3lame is missing or refuses the parameters
   */
  public Mp3Encoder(int rate, int channels) {
    if (LIB == null) {
      throw new IllegalStateException("libmp3lame is not installed");
    }
    if (channels < 1 || channels > 2) {
      throw new IllegalArgumentException("the MP3 stream is mono or stereo, not " + channels);
    }
    this.channels = channels;
    gfp = LIB.lame_init();
    if (gfp == null) {
      throw new IllegalStateException("libmp3lame cannot start");
    }
    LIB.lame_set_in_samplerate(gfp, rate);
    LIB.lame_set_num_channels(gfp, channels);
    LIB.lame_set_brate(gfp, BITRATE_KBPS);
    LIB.lame_set_bWriteVbrTag(gfp, 0);
    int r = LIB.lame_init_params(gfp);
    if (r < 0) {
      close();
      throw new IllegalStateException("libmp3lame refused " + rate + " Hz: error " + r);
    }
    outRate = LIB.lame_get_out_samplerate(gfp);
    delay = LIB.lame_get_encoder_delay(gfp);
    pcmIn = new Memory((long) MAX_FRAMES_PER_CALL * channels * Float.BYTES);
    mp3OutSize = MAX_FRAMES_PER_CALL * 5 / 4 + 7200; // LAME's worst case for that many frames
    mp3Out = new Memory(mp3OutSize);
  }

  /** Nothing: MP3 has no stream header. */
  public byte[] header() {
    return new byte[0];
  }

  /** The rate of the MPEG frames, which LAME picks when the stream's is not an MP3 rate. */
  public int outputRate() {
    return outRate;
  }

  /**
   * The most a sample waits in this encoder before its frame is out, in microseconds: LAME's
   * encoder delay, one frame, and the look-ahead its psychoacoustic model keeps (about one more
   * frame, 1,152 samples at MPEG-1 rates).
   */
  public long delayMicros() {
    int frame = outRate >= 32_000 ? 1152 : 576;
    return (long) (delay + 2L * frame) * 1_000_000L / outRate;
  }

  /**
   * Encodes {@code frames} interleaved frames; appends the whole MPEG frames ready to {@code out}.
   */
  public void encode(float[] src, int offset, int frames, ByteSink out) {
    while (frames > 0) {
      int n = Math.min(frames, MAX_FRAMES_PER_CALL);
      pcmIn.write(0, src, offset, n * channels);
      int len = LIB.lame_encode_buffer_interleaved_ieee_float(gfp, pcmIn, n, mp3Out, mp3OutSize);
      if (len < 0) {
        throw new IllegalStateException("libmp3lame failed to encode: error " + len);
      }
      if (pendingLength + len > pending.length) {
        pending =
            java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + len));
      }
      mp3Out.read(0, pending, pendingLength, len);
      pendingLength += len;
      offset += n * channels;
      frames -= n;
    }
    emitWholeFrames(out);
  }

  /** Moves the complete MPEG frames at the start of {@link #pending} to {@code out}. */
  private void emitWholeFrames(ByteSink out) {
    int p = 0;
    while (p + 4 <= pendingLength) {
      int len = Mp3FrameLength.of(pending, p);
      if (len <= 0) {
        p++; // not a header (LAME starts on one; this only skips garbage)
        continue;
      }
      if (p + len > pendingLength) {
        break;
      }
      out.put(pending, p, len);
      p += len;
    }
    System.arraycopy(pending, p, pending, 0, pendingLength - p);
    pendingLength -= p;
  }

  @Override
  public void close() {
    if (gfp != null) {
      LIB.lame_close(gfp);
      gfp = null;
    }
  }
}
