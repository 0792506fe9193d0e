package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Ogg Opus (RFC 7845), always 48 kHz: the Ogg demuxing, trimming and seeking here in Java, the
 * packets decoded by libopus in floating point where it is installed ({@link LibopusCodec}, peaks
 * above full scale kept), else by Concentus, a pure-Java port of libopus's fixed-point build
 * ({@link ConcentusCodec}, 16-bit samples). {@link #codecInUse()} says which. Honours the OpusHead
 * pre-skip (dropped at the start), output gain (applied by the codec) and the end trim given by the
 * last page's granule position, so the length is exact. Seeks decode 80 ms of pre-roll (RFC 7845
 * section 4.6) and land on the exact sample position; the samples then equal a decode from the
 * start in CELT mode (within 1e-6 in floating point) and are within about -48 dBFS of it in SILK
 * mode. Channel mapping families 0 (mono, stereo), 1 (up to 7.1, reordered to WAV order: FL FR FC
 * LFE ...) and 255 (up to 8 channels, in stream order).
 */
public final class OpusDecoder extends OggAudioDecoder {

  /** 80 ms at 48 kHz: what RFC 7845 asks a decoder to pre-roll before a seek target. */
  private static final int PREROLL = 3840;

  /** 120 ms at 48 kHz: the longest Opus packet. */
  private static final int MAX_PACKET_FRAMES = 5760;

  private final int channels;
  private final int preSkip;
  private final int gainQ8;
  private final int streams;
  private final int coupled;
  private final short[] mapping;
  private final int[] order;
  private final boolean inOrder;
  private final float[] pcm;
  private final AudioFormat format;
  private final OpusCodec codec;

  private OpusDecoder(Path file, boolean libopus) throws IOException {
    this(file, libopus, true);
  }

  private OpusDecoder(Path file, boolean libopus, boolean plainWhenInOrder) throws IOException {
    super(FileChannel.open(file, StandardOpenOption.READ));
    try {
      int len = packets.next();
      byte[] h = packets.packet();
      if (len < 19
          || !new String(h, 0, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("OpusHead")) {
        throw new UnsupportedFormatException("Ogg stream is not Opus");
      }
      if ((h[8] & 0xF0) != 0) {
        throw new UnsupportedFormatException("Opus header version " + (h[8] & 0xFF));
      }
      channels = h[9] & 0xFF;
      preSkip = (h[10] & 0xFF) | (h[11] & 0xFF) << 8;
      gainQ8 = (short) ((h[16] & 0xFF) | (h[17] & 0xFF) << 8);
      int family = h[18] & 0xFF;
      boolean known = family == 0 ? channels <= 2 : (family == 1 || family == 255) && len >= 21;
      if (!known || channels < 1 || channels > 8) {
        throw new UnsupportedFormatException(
            "Opus channel mapping family " + family + " with " + channels + " channels");
      }
      mapping = new short[channels];
      if (family == 0) {
        streams = 1;
        coupled = channels - 1;
        for (int c = 0; c < channels; c++) {
          mapping[c] = (short) c;
        }
      } else {
        streams = h[19] & 0xFF;
        coupled = h[20] & 0xFF;
        if (streams < 1 || coupled > streams || len < 21 + channels) {
          throw new IOException("corrupt OpusHead channel mapping table");
        }
        for (int c = 0; c < channels; c++) {
          mapping[c] = (short) (h[21 + c] & 0xFF);
          if (mapping[c] >= streams + coupled && mapping[c] != 255) {
            throw new IOException("corrupt OpusHead channel mapping table");
          }
        }
      }
      order = family == 1 ? wavOrder(channels) : identity(channels);
      inOrder = isIdentity(order);
      // OpusTags, possibly spanning pages; audio starts on the page after it ends.
      if (packets.next() < 8
          || !new String(packets.packet(), 0, 8, java.nio.charset.StandardCharsets.US_ASCII)
              .equals("OpusTags")) {
        throw new IOException("Opus stream lacks its OpusTags header");
      }
      pcm = new float[MAX_PACKET_FRAMES * channels];
      long total = startAudio(preSkip);
      // Last, so that nothing after it can fail and leak libopus's native state.
      codec =
          libopus
              ? new LibopusCodec(
                  channels, streams, coupled, mapping, gainQ8, MAX_PACKET_FRAMES, plainWhenInOrder)
              : new ConcentusCodec(channels, streams, coupled, mapping, gainQ8, MAX_PACKET_FRAMES);
      format = new AudioFormat(48_000, channels, total, "opus", 0);
    } catch (IOException e) {
      channel.close();
      throw e;
    } catch (RuntimeException e) {
      channel.close();
      throw new IOException("corrupt Opus headers: " + e, e);
    }
  }

  /** Opens an Ogg Opus file, decoded by libopus when it is available, else by Concentus. */
  public static OpusDecoder open(Path file) throws IOException {
    return new OpusDecoder(file, LibopusCodec.available());
  }

  /** Opens an Ogg Opus file decoded by Concentus even where libopus is installed (to compare). */
  static OpusDecoder openWithConcentus(Path file) throws IOException {
    return new OpusDecoder(file, false);
  }

  /** Opens an Ogg Opus file decoded by libopus's multistream decoder whatever its layout. */
  static OpusDecoder openWithMultistream(Path file) throws IOException {
    return new OpusDecoder(file, true, false);
  }

  /** Whether libopus's single-stream decoder decodes this file. */
  boolean decodesPlain() {
    return codec instanceof LibopusCodec l && l.plain();
  }

  /**
   * The decoder every Opus file gets in this process, for /health: e.g. {@code "libopus 1.3.1
   * (float)"}, or {@code "concentus (16-bit fixed point)"} where libopus cannot be loaded.
   */
  public static String codecInUse() {
    return LibopusCodec.available()
        ? LibopusCodec.version() + " (float)"
        : "concentus (16-bit fixed point)";
  }

  private static int[] identity(int n) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    return o;
  }

  private static boolean isIdentity(int[] m) {
    for (int i = 0; i < m.length; i++) {
      if (m[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** The OpusHead output gain in dB, already applied to the samples. */
  public double outputGainDb() {
    return gainQ8 / 256.0;
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  protected int decodePacket(byte[] packet, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    return codec.decode(packet, length, pcm, MAX_PACKET_FRAMES);
  }

  @Override
  protected void copy(int from, int n, float[] dst, int offset) {
    int ch = channels;
    if (inOrder) {
      System.arraycopy(pcm, from * ch, dst, offset, n * ch);
      return;
    }
    for (int f = 0; f < n; f++) {
      int src = (from + f) * ch;
      int o = offset + f * ch;
      for (int c = 0; c < ch; c++) {
        dst[o + c] = pcm[src + order[c]];
      }
    }
  }

  @Override
  protected void resetCodec() throws IOException {
    codec.reset();
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      codec.close();
    }
  }

  @Override
  protected long preroll() {
    return PREROLL;
  }

  /** Registry entry: an Ogg stream whose first packet is OpusHead, or the .opus extension. */
  static final class Plugin implements DecoderPlugin {
    @Override
    public String name() {
      return "opus";
    }

    @Override
    public boolean accepts(byte[] head, int n, String extension) {
      int at = VorbisDecoder.firstPacket(head, n);
      boolean magic =
          at >= 0
              && at + 8 <= n
              && head[at] == 'O'
              && head[at + 1] == 'p'
              && head[at + 2] == 'u'
              && head[at + 3] == 's'
              && head[at + 4] == 'H';
      return magic || extension.equals("opus");
    }

    @Override
    public Decoder open(Path file) throws IOException {
      return OpusDecoder.open(file);
    }
  }
}
