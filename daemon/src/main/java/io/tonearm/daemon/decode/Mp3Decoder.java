package io.tonearm.daemon.decode;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.JavaLayerException;
import javazoom.jl.decoder.Obuffer;

/**
 * MPEG-1/2/2.5 audio layers I-III (CBR and VBR), with float output: decoded by the system's
 * libmpg123 where it loads ({@link Mpg123Codec}, the frames found here fed to it one by one), else
 * by JLayer, a pure-Java decoder that costs about three times the CPU under C1 (bench/README.md,
 * ninth session). {@link #codecInUse()} says which. Gapless: with a LAME/Info tag the encoder delay
 * plus the decoder's own 529 samples are dropped at the start and the encoder padding at the end,
 * so {@code format().frames()} is the original sample count. Seeks land on the exact sample: they
 * restart {@link #PREROLL_FRAMES} frames early (to refill the bit reservoir and filter-bank
 * overlap) and discard up to the target.
 */
public final class Mp3Decoder implements Decoder {

  /** MP3 decoders' inherent delay: 528 samples of filter bank plus one (as ffmpeg and LAME use). */
  static final int DECODER_DELAY = 529;

  private static final int PREROLL_FRAMES = 10;

  /** JLayer scales its synthesis output to this full scale (javazoom Decoder.initialize). */
  private static final float JLAYER_SCALE = 32700f;

  private static final float INV_SCALE = 1f / JLAYER_SCALE;

  private final FileChannel channel;
  private final Mp3Frames frames = new Mp3Frames();
  private final AudioFormat format;
  private final long startSkip;
  private final FloatBuffer out;
  private final Mpg123Codec mpg123; // null: JLayer
  private int nextFrame; // the next frame libmpg123 is fed
  private javazoom.jl.decoder.Decoder codec;
  private Bitstream bitstream;
  private long nextSample; // decoded-stream sample just after the pending output
  private long discardBefore;
  private int pending;
  private int pendingStart;
  private boolean ended;

  private Mp3Decoder(Path file, boolean useMpg123) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    Mpg123Codec lib = null;
    try {
      frames.scan(channel, Id3v2.skip(channel));
      long decoded = (long) frames.count * frames.samplesPerFrame;
      long total = decoded;
      long skip = 0;
      if (frames.encoderDelay >= 0) {
        skip = frames.encoderDelay + DECODER_DELAY;
        total = Math.max(0, decoded - frames.encoderDelay - frames.encoderPadding);
      }
      startSkip = skip;
      format = new AudioFormat(frames.sampleRate, frames.channels, total, "mp3", 0);
      // Room for two frames: libmpg123 may hold a frame's output back until the next is fed.
      out =
          new FloatBuffer(
              frames.channels, useMpg123 ? 2 * frames.samplesPerFrame : frames.samplesPerFrame);
      if (useMpg123) {
        lib = new Mpg123Codec(frames.sampleRate, frames.channels, frames.samplesPerFrame);
      }
      mpg123 = lib;
      restartAt(0);
    } catch (IOException | RuntimeException e) {
      if (lib != null) {
        lib.close();
      }
      channel.close();
      throw e;
    }
  }

  /** Opens an MPEG audio file, decoded by libmpg123 where it is available, else by JLayer. */
  public static Mp3Decoder open(Path file) throws IOException {
    return new Mp3Decoder(file, Mpg123Codec.available());
  }

  /** Opens an MPEG audio file decoded by JLayer even where libmpg123 is installed (to compare). */
  static Mp3Decoder openWithJlayer(Path file) throws IOException {
    return new Mp3Decoder(file, false);
  }

  /** The decoder MP3 files get: "libmpg123 (float)" or "jlayer". */
  public static String codecInUse() {
    return Mpg123Codec.available() ? "libmpg123 (float)" : "jlayer";
  }

  /** The LAME tag's encoder delay in samples, or -1 when the file has none. */
  public int encoderDelay() {
    return frames.encoderDelay;
  }

  /** The LAME tag's encoder padding in samples, or -1 when the file has none. */
  public int encoderPadding() {
    return frames.encoderPadding;
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  private void restartAt(int frame) throws IOException {
    nextSample = (long) frame * frames.samplesPerFrame;
    pending = 0;
    pendingStart = 0;
    ended = false;
    if (mpg123 != null) {
      mpg123.reset();
      nextFrame = frame;
      return;
    }
    InputStream in =
        new BufferedInputStream(
            Channels.newInputStream(channel.position(frames.offsets[frame])), 16 * 1024);
    bitstream = new Bitstream(in);
    codec = new javazoom.jl.decoder.Decoder();
    codec.setOutputBuffer(out);
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    long total = format.frames();
    int ch = format.channels();
    while (true) {
      if (pendingStart < pending) {
        long pos = nextSample - pending + pendingStart - startSkip;
        if (pos >= total) {
          ended = true;
          return -1;
        }
        if (pos < discardBefore) {
          pendingStart += (int) Math.min(pending - pendingStart, discardBefore - pos);
          continue;
        }
        int n = (int) Math.min(Math.min(maxFrames, pending - pendingStart), total - pos);
        System.arraycopy(out.samples, pendingStart * ch, dst, offset, n * ch);
        pendingStart += n;
        return n;
      }
      if (ended || !decodeFrame(false)) {
        ended = true;
        return -1;
      }
    }
  }

  /** Decodes the next frame into {@link #out}; false at the end of the stream. */
  private boolean decodeFrame(boolean tolerant) throws IOException {
    if (mpg123 != null) {
      return decodeNative(tolerant);
    }
    try {
      Header h = bitstream.readFrame();
      if (h == null) {
        return false;
      }
      out.clear_buffer();
      try {
        codec.decodeFrame(h, bitstream);
      } catch (JavaLayerException | RuntimeException e) {
        if (!tolerant) {
          throw e;
        }
        java.util.Arrays.fill(out.samples, 0f); // pre-roll frames may lack their reservoir
      }
      bitstream.closeFrame();
      pending = frames.samplesPerFrame;
      pendingStart = 0;
      nextSample += pending;
      return true;
    } catch (JavaLayerException | RuntimeException e) {
      throw new IOException("corrupt MPEG audio frame near sample " + nextSample + ": " + e, e);
    }
  }

  /**
   * Feeds libmpg123 frames until it hands out samples; false when the frames are all fed and
   * nothing more comes. A frame libmpg123 refuses is an {@link IOException}, except in a seek's
   * pre-roll ({@code tolerant}), where it stands for a frame of silence as with JLayer.
   */
  private boolean decodeNative(boolean tolerant) throws IOException {
    while (nextFrame < frames.count) {
      long at = frames.offsets[nextFrame++];
      ByteBuffer b = mpg123.input();
      b.clear().limit(4);
      readFully(b, at);
      int len = Mp3Frames.frameLength(b.getInt(0));
      if (len <= 0 || len > Mpg123Codec.MAX_FRAME_BYTES) {
        throw new IOException("corrupt MPEG audio frame at byte " + at);
      }
      b.limit(len);
      readFully(b, at);
      int n;
      try {
        n = mpg123.decode(len, out.samples, 0);
      } catch (IOException e) {
        if (!tolerant) {
          throw new IOException(
              "corrupt MPEG audio frame near sample " + nextSample + ": " + e.getMessage(), e);
        }
        mpg123.reset();
        java.util.Arrays.fill(out.samples, 0, frames.samplesPerFrame * frames.channels, 0f);
        n = frames.samplesPerFrame;
      }
      if (n > 0) {
        pending = n;
        pendingStart = 0;
        nextSample += n;
        return true;
      }
    }
    return false;
  }

  /** Fills {@code b} from its position with the file's bytes from {@code at} + that position. */
  private void readFully(ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      if (channel.read(b, at + b.position()) < 0) {
        throw new IOException("MPEG audio frame cut short at byte " + at);
      }
    }
  }

  @Override
  public void seek(long target) throws IOException {
    if (target < 0 || target > format.frames()) {
      throw new IOException("seek to frame " + target + " outside 0.." + format.frames());
    }
    long sample = target + startSkip;
    int frame = (int) Math.min(frames.count - 1, sample / frames.samplesPerFrame);
    int start = Math.max(0, frame - PREROLL_FRAMES);
    restartAt(start);
    discardBefore = target;
    for (int i = start; i < frame; i++) {
      if (!decodeFrame(true)) {
        break;
      }
    }
    // The pre-roll's output stays pending: read() drops what lies before the target, and with
    // libmpg123 the last call may already hold the target frame's samples.
  }

  @Override
  public void close() throws IOException {
    if (mpg123 != null) {
      mpg123.close();
    }
    channel.close();
  }

  /** JLayer output sink that keeps the synthesis filter's floats instead of clipped shorts. */
  private static final class FloatBuffer extends Obuffer {
    final float[] samples;
    private final int channels;
    private final int[] pos;

    FloatBuffer(int channels, int frames) {
      this.channels = channels;
      this.samples = new float[frames * channels];
      this.pos = new int[channels];
      clear_buffer();
    }

    @Override
    public void append(int channel, short value) {
      appendOne(channel, value);
    }

    @Override
    public void appendSamples(int channel, float[] f) {
      // JLayer hands over 32 synthesis outputs of one channel at a time; the checks are per call,
      // not per sample.
      if (channel >= channels) {
        return;
      }
      int p = pos[channel];
      int step = channels;
      if (p + 31 * step >= samples.length) {
        for (int i = 0; i < 32; i++) {
          appendOne(channel, f[i]);
        }
        return;
      }
      float[] out = samples;
      for (int i = 0; i < 32; i++, p += step) {
        out[p] = f[i] * INV_SCALE; // unclamped: peaks above full scale survive until the output
      }
      pos[channel] = p;
    }

    private void appendOne(int channel, float v) {
      if (channel >= channels || pos[channel] >= samples.length) {
        return;
      }
      samples[pos[channel]] = v * INV_SCALE;
      pos[channel] += channels;
    }

    @Override
    public void write_buffer(int val) {}

    @Override
    public void close() {}

    @Override
    public void clear_buffer() {
      for (int c = 0; c < channels; c++) {
        pos[c] = c;
      }
    }

    @Override
    public void set_stop_flag() {}
  }

  /** Registry entry: an MPEG audio frame header (after any ID3v2 tag), or .mp3/.mp2/.mpga. */
  static final class Plugin implements DecoderPlugin {
    @Override
    public String name() {
      return "mp3";
    }

    @Override
    public boolean accepts(byte[] head, int n, String extension) {
      boolean magic =
          n >= 4
              && Mp3Frames.frameLength(
                      (head[0] & 0xFF) << 24
                          | (head[1] & 0xFF) << 16
                          | (head[2] & 0xFF) << 8
                          | head[3] & 0xFF)
                  > 0;
      return magic
          || extension.equals("mp3")
          || extension.equals("mp2")
          || extension.equals("mpga");
    }

    @Override
    public Decoder open(Path file) throws IOException {
      return Mp3Decoder.open(file);
    }
  }
}
