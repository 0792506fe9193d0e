package io.tonearm.daemon.decode;

import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusMSDecoder;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Ogg Opus (RFC 7845) through Concentus, a pure-Java port of libopus; 16-bit samples, always 48
 * kHz. Honours the OpusHead pre-skip (dropped at the start), output gain (applied by the codec) and
 * the end trim given by the last page's granule position, so the length is exact. Seeks decode 80
 * ms of pre-roll (RFC 7845 section 4.6) and land on the exact sample position; the samples then
 * equal a decode from the start in CELT mode and are within about -55 dBFS of it in SILK mode.
 * Channel mapping families 0 (mono, stereo), 1 (up to 7.1, reordered to WAV order: FL FR FC LFE
 * ...) and 255 (up to 8 channels, in stream order).
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
  private final short[] pcm;
  private final AudioFormat format;

  /**
   * One stream in channel order (all mono and stereo files): decoded by Concentus's single-stream
   * decoder, straight into {@link #pcm}; the multistream decoder would allocate a 23 KB scratch
   * buffer per packet and copy every sample once more.
   */
  private final boolean single;

  private io.github.jaredmdobson.concentus.OpusDecoder stream;
  private OpusMSDecoder multistream;

  private OpusDecoder(Path file) throws IOException {
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
      single = streams == 1 && coupled == channels - 1 && isIdentity(mapping) && isIdentity(order);
      // OpusTags, possibly spanning pages; audio starts on the page after it ends.
      if (packets.next() < 8
          || !new String(packets.packet(), 0, 8, java.nio.charset.StandardCharsets.US_ASCII)
              .equals("OpusTags")) {
        throw new IOException("Opus stream lacks its OpusTags header");
      }
      pcm = new short[MAX_PACKET_FRAMES * channels];
      resetCodec();
      long total = startAudio(preSkip);
      format = new AudioFormat(48_000, channels, total, "opus", 0);
    } catch (IOException e) {
      channel.close();
      throw e;
    } catch (RuntimeException e) {
      channel.close();
      throw new IOException("corrupt Opus headers: " + e, e);
    }
  }

  /** Opens an Ogg Opus file. */
  public static OpusDecoder open(Path file) throws IOException {
    return new OpusDecoder(file);
  }

  private static int[] identity(int n) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    return o;
  }

  private static boolean isIdentity(short[] m) {
    for (int i = 0; i < m.length; i++) {
      if (m[i] != i) {
        return false;
      }
    }
    return true;
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
    try {
      int n;
      if (single) {
        n = stream.decode(packet, 0, length, pcm, 0, MAX_PACKET_FRAMES, false);
      } else {
        // The multistream decoder allocates scratch for frameSize frames per call: ask for the
        // packet's own duration (from its TOC, RFC 6716 section 3.1), not the 120 ms maximum.
        int frameSize = OpusPacketInfo.getNumSamples(packet, 0, length, 48_000);
        if (frameSize <= 0 || frameSize > MAX_PACKET_FRAMES) {
          frameSize = MAX_PACKET_FRAMES;
        }
        n = multistream.decodeMultistream(packet, 0, length, pcm, 0, frameSize, 0);
      }
      if (n < 0) {
        throw new IOException("corrupt Opus packet: libopus error " + n);
      }
      return n;
    } catch (OpusException | RuntimeException e) {
      throw new IOException("corrupt Opus packet: " + e.getMessage(), e);
    }
  }

  @Override
  protected void copy(int from, int n, float[] dst, int offset) {
    final float scale = 1f / 32768f;
    int ch = channels;
    if (single) {
      int src = from * ch;
      for (int i = 0, m = n * ch; i < m; i++) {
        dst[offset + i] = pcm[src + i] * scale;
      }
      return;
    }
    for (int f = 0; f < n; f++) {
      int src = (from + f) * ch;
      int o = offset + f * ch;
      for (int c = 0; c < ch; c++) {
        dst[o + c] = pcm[src + order[c]] * scale;
      }
    }
  }

  @Override
  protected void resetCodec() throws IOException {
    try {
      // Resetting keeps the decoders' tables and buffers; re-creating them on every seek would not.
      if (single) {
        if (stream == null) {
          stream = new io.github.jaredmdobson.concentus.OpusDecoder(48_000, channels);
        } else {
          stream.resetState();
        }
        stream.setGain(gainQ8);
      } else {
        if (multistream == null) {
          multistream = OpusMSDecoder.create(48_000, channels, streams, coupled, mapping);
        } else {
          multistream.ResetState();
        }
        multistream.setGain(gainQ8);
      }
    } catch (OpusException e) {
      throw new IOException("cannot start the Opus decoder: " + e.getMessage(), e);
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
