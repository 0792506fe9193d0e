package io.tonearm.daemon.encode;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.tonearm.daemon.resample.Resampler;
import java.nio.charset.StandardCharsets;

/**
 * A live Ogg Opus stream (RFC 7845) encoded by the system's libopus ({@code opus_encode_float},
 * through JNA): 20 ms packets at {@link #BITRATE_PER_CHANNEL} bit/s per channel (libopus's default
 * VBR, application "audio"), {@value #PACKETS_PER_PAGE} packets per Ogg page. The stream's rate is
 * converted to Opus's 48 kHz by the engine's {@link Resampler} when it differs. {@link #header()}
 * is the two header pages (OpusHead, whose pre-skip covers the encoder's look-ahead and the
 * resampler's delay, and OpusTags); a listener that joins later gets them and then the next audio
 * page, whose granule position counts from the stream's start (a live capture, RFC 7845 section
 * 4.5). Mono and stereo only (channel mapping family 0). No end-of-stream page: a live stream does
 * not end.
 *
 * <p>Not thread-safe: the stream output's thread owns it; {@link #close} frees libopus's state.
 */
public final class OggOpusEncoder implements AutoCloseable {

  /** Bits per second per channel: 64 kbit/s mono, 128 kbit/s stereo. */
  public static final int BITRATE_PER_CHANNEL = 64_000;

  /** Packets (of 20 ms) per Ogg page: a page every 60 ms. */
  public static final int PACKETS_PER_PAGE = 3;

  private static final int FRAME = 960; // 20 ms at 48 kHz
  private static final int MAX_PACKET = 4000; // bytes; libopus recommends 4000

  private final int channels;
  private final Resampler resampler; // null at 48 kHz
  private final float[] resampled;
  private final float[] frame;
  private int framed;
  private Pointer state;
  private final Memory pcmIn;
  private final Memory packetOut = new Memory(MAX_PACKET);
  private final byte[] pagePackets = new byte[MAX_PACKET * PACKETS_PER_PAGE];
  private final int[] offsets = new int[PACKETS_PER_PAGE];
  private final int[] lengths = new int[PACKETS_PER_PAGE];
  private int packets;
  private int pageFill;
  private long granule;
  private final OggPageWriter pages;
  private final byte[] header;
  private final int preSkip;

  /** True when libopus could be loaded. */
  public static boolean available() {
    return Libopus.LIB != null;
  }

  /**
   * @param rate the stream's frames per second (8 kHz to 384 kHz)
   * @param channels 1 or 2
   * @throws IllegalArgumentException for more than 2 channels or an unusable rate
   * @throws IllegalStateException when libopus is not available or refuses to start
   */
  public OggOpusEncoder(int rate, int channels) {
    if (!available()) {
      throw new IllegalStateException("libopus is not installed");
    }
    if (channels < 1 || channels > 2) {
      throw new IllegalArgumentException("the Opus stream is mono or stereo, not " + channels);
    }
    this.channels = channels;
    this.resampler = rate == 48_000 ? null : new Resampler(rate, 48_000, channels, 4096);
    this.resampled =
        new float[(resampler == null ? 0 : resampler.maxOutputFrames(4096)) * channels];
    this.frame = new float[FRAME * channels];
    this.pcmIn = new Memory((long) FRAME * channels * Float.BYTES);
    IntByReference err = new IntByReference();
    state = Libopus.LIB.opus_encoder_create(48_000, channels, Libopus.APPLICATION_AUDIO, err);
    if (state == null || err.getValue() != 0) {
      throw new IllegalStateException("libopus cannot create an encoder: error " + err.getValue());
    }
    Libopus.LIB.opus_encoder_ctl(state, Libopus.SET_BITRATE, BITRATE_PER_CHANNEL * channels);
    IntByReference lookahead = new IntByReference();
    Libopus.LIB.opus_encoder_ctl(state, Libopus.GET_LOOKAHEAD, lookahead);
    int resamplerDelay = resampler == null ? 0 : (int) Math.round(resampler.delayOutputFrames());
    this.preSkip = lookahead.getValue() + resamplerDelay;
    this.pages = new OggPageWriter((int) (System.nanoTime() ^ 0x5EED));
    this.header = headerPages(rate);
  }

  private byte[] headerPages(int inputRate) {
    byte[] head = new byte[19];
    System.arraycopy("OpusHead".getBytes(StandardCharsets.US_ASCII), 0, head, 0, 8);
    head[8] = 1; // version
    head[9] = (byte) channels;
    head[10] = (byte) preSkip;
    head[11] = (byte) (preSkip >> 8);
    for (int i = 0; i < 4; i++) {
      head[12 + i] = (byte) (inputRate >>> (8 * i));
    }
    // bytes 16-17: output gain 0; byte 18: channel mapping family 0
    byte[] vendor =
        ("tonearm, " + Libopus.LIB.opus_get_version_string()).getBytes(StandardCharsets.UTF_8);
    byte[] tags = new byte[8 + 4 + vendor.length + 4];
    System.arraycopy("OpusTags".getBytes(StandardCharsets.US_ASCII), 0, tags, 0, 8);
    tags[8] = (byte) vendor.length;
    tags[9] = (byte) (vendor.length >> 8);
    System.arraycopy(vendor, 0, tags, 12, vendor.length);
    ByteSink out = new ByteSink(256);
    pages.page(head, new int[] {0}, new int[] {head.length}, 1, 0, OggPageWriter.BOS, out);
    pages.page(tags, new int[] {0}, new int[] {tags.length}, 1, 0, 0, out);
    return java.util.Arrays.copyOf(out.array(), out.size());
  }

  /** The two header pages every listener gets first. */
  public byte[] header() {
    return header.clone();
  }

  /** OpusHead's pre-skip: 48 kHz samples a decoder drops at the start (look-ahead + resampler). */
  public int preSkip() {
    return preSkip;
  }

  /**
   * The most a sample waits in this encoder before its page is out, in microseconds: a page of
   * packets plus the look-ahead and the resampler's delay.
   */
  public long delayMicros() {
    return (long) (PACKETS_PER_PAGE * FRAME + preSkip) * 1_000_000L / 48_000;
  }

  /**
   * Encodes {@code frames} interleaved frames and appends every page they complete to {@code out}.
   */
  public void encode(float[] src, int offset, int frames, ByteSink out) {
    if (resampler == null) {
      take(src, offset, frames, out);
      return;
    }
    while (frames > 0) {
      int n = Math.min(frames, 4096);
      int m = resampler.process(src, offset, n, resampled, 0);
      take(resampled, 0, m, out);
      offset += n * channels;
      frames -= n;
    }
  }

  private void take(float[] src, int offset, int frames, ByteSink out) {
    while (frames > 0) {
      int n = Math.min(frames, FRAME - framed);
      System.arraycopy(src, offset, frame, framed * channels, n * channels);
      framed += n;
      offset += n * channels;
      frames -= n;
      if (framed == FRAME) {
        encodePacket(out);
        framed = 0;
      }
    }
  }

  private void encodePacket(ByteSink out) {
    pcmIn.write(0, frame, 0, frame.length);
    int len = Libopus.LIB.opus_encode_float(state, pcmIn, FRAME, packetOut, MAX_PACKET);
    if (len < 0) {
      throw new IllegalStateException("libopus failed to encode: error " + len);
    }
    packetOut.read(0, pagePackets, pageFill, len);
    offsets[packets] = pageFill;
    lengths[packets] = len;
    pageFill += len;
    packets++;
    granule += FRAME;
    if (packets == PACKETS_PER_PAGE) {
      pages.page(pagePackets, offsets, lengths, packets, granule, 0, out);
      packets = 0;
      pageFill = 0;
    }
  }

  @Override
  public void close() {
    if (state != null) {
      Libopus.LIB.opus_encoder_destroy(state);
      state = null;
    }
  }
}
