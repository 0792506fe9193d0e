package io.tonearm.daemon.decode;

import com.jcraft.jogg.Packet;
import com.jcraft.jorbis.Block;
import com.jcraft.jorbis.Comment;
import com.jcraft.jorbis.DspState;
import com.jcraft.jorbis.Info;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Ogg Vorbis through JOrbis (the codec only; Ogg framing, granules and seeking are ours). The
 * length is the last page's granule position; seeks are sample-exact (see {@link OggAudioDecoder}).
 * JOrbis's own failures, including runtime exceptions on corrupt packets, are wrapped in {@link
 * IOException}; a setup header JOrbis cannot parse (seen with some 5.1 files) raises {@link
 * UnsupportedFormatException}, so that ffmpeg may take the file. Surround comes out in WAV order
 * (FL FR FC LFE BL BR ...).
 *
 * <p>The decoded set-up (codebooks, windows, mode lookups) is taken over from the last closed
 * decoder when the identification and setup headers are byte for byte the same ({@link
 * VorbisSetup}); a seek restarts it in place. Either way the codec starts from the state a new
 * JOrbis decoder starts in, so the samples are the same.
 */
public final class VorbisDecoder extends OggAudioDecoder {

  private final Info info;
  private final Packet jp = new Packet();
  private final float[][][] pcm = new float[1][][];
  private final int[] index;
  private final int[] order;
  private final AudioFormat format;
  private final boolean reused;
  private VorbisSetup setup; // null once closed
  private DspState dsp;
  private Block block;
  private boolean failed; // a packet threw inside JOrbis
  private long packetNo;

  private VorbisDecoder(Path file) throws IOException {
    super(FileChannel.open(file, StandardOpenOption.READ));
    try {
      Info parsed = new Info();
      parsed.init();
      Comment comment = new Comment();
      byte[] idHeader = null;
      byte[] setupHeader = null;
      VorbisSetup taken = null;
      for (int i = 0; i < 3; i++) {
        int len = packets.next();
        if (len < 0) {
          throw new UnsupportedFormatException("no Vorbis headers in this Ogg stream");
        }
        byte[] p = packets.packet();
        if (i == 0) {
          if (len < 7 || p[0] != 1 || p[1] != 'v' || p[2] != 'o' || p[3] != 'r') {
            throw new UnsupportedFormatException("Ogg stream is not Vorbis");
          }
          idHeader = Arrays.copyOf(p, len);
        }
        if (i == 2 && (taken = VorbisSetup.take(idHeader, p, len)) != null) {
          packetNo++; // the same packet numbers as when the header is read
          break;
        }
        if (parsed.synthesis_headerin(comment, wrap(p, len, i == 0)) < 0) {
          // JOrbis rejects some valid setup headers (seen with 5.1 from libvorbis 1.3): let
          // ffmpeg, when present, try the file.
          throw new UnsupportedFormatException("JOrbis cannot read Vorbis header " + (i + 1));
        }
        if (i == 2) {
          setupHeader = Arrays.copyOf(p, len);
        }
      }
      Info headers = taken != null ? taken.info : parsed;
      if (headers.channels < 1 || headers.channels > 8) {
        throw new UnsupportedFormatException("Vorbis with " + headers.channels + " channels");
      }
      reused = taken != null;
      setup = reused ? taken : new VorbisSetup(parsed, idHeader, setupHeader);
      info = setup.info;
      dsp = setup.dsp;
      block = setup.block;
      index = new int[info.channels];
      order = wavOrder(info.channels);
      resetCodec();
      long total = startAudio(0);
      format = new AudioFormat(info.rate, info.channels, total, "vorbis", 0);
    } catch (IOException e) {
      channel.close();
      throw e;
    } catch (RuntimeException e) {
      channel.close();
      throw new IOException("corrupt Vorbis headers: " + e, e);
    }
  }

  /** Opens an Ogg Vorbis file. */
  public static VorbisDecoder open(Path file) throws IOException {
    return new VorbisDecoder(file);
  }

  private Packet wrap(byte[] p, int len, boolean bos) {
    jp.packet_base = p;
    jp.packet = 0;
    jp.bytes = len;
    jp.b_o_s = bos ? 1 : 0;
    jp.e_o_s = 0;
    jp.granulepos = -1;
    jp.packetno = packetNo++;
    return jp;
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  protected int decodePacket(byte[] packet, int length) throws IOException {
    boolean done = false;
    try {
      int n = 0;
      if (block.synthesis(wrap(packet, length, false)) == 0) {
        dsp.synthesis_blockin(block);
        n = dsp.synthesis_pcmout(pcm, index);
        if (n > 0) {
          dsp.synthesis_read(n); // the samples stay in pcm[0] until the next blockin
        }
      } // else not an audio packet (or undecodable): the spec says skip it
      done = true;
      return Math.max(n, 0);
    } catch (RuntimeException e) {
      throw new IOException("corrupt Vorbis packet: " + e, e);
    } finally {
      failed |= !done; // anything thrown inside JOrbis: its state goes to no other file
    }
  }

  @Override
  protected void copy(int from, int n, float[] dst, int offset) {
    int ch = format.channels();
    for (int c = 0; c < ch; c++) {
      float[] src = pcm[0][order[c]];
      int base = index[order[c]] + from;
      for (int i = 0, o = offset + c; i < n; i++, o += ch) {
        dst[o] = src[base + i]; // unclamped: peaks above full scale survive until the output
      }
    }
  }

  @Override
  protected void resetCodec() {
    setup.restart();
  }

  /** Whether this decoder took over the last closed decoder's set-up (tests). */
  boolean reusedSetup() {
    return reused;
  }

  @Override
  public void close() throws IOException {
    VorbisSetup s = setup;
    if (s != null) {
      setup = null;
      dsp = null;
      block = null;
      pcm[0] = null;
      if (!failed) {
        s.release();
      }
    }
    super.close();
  }

  @Override
  protected long preroll() {
    return 0; // one block of overlap, which the calibration step already decodes
  }

  /** Registry entry: an Ogg stream whose first packet is a Vorbis header, or .ogg/.oga. */
  static final class Plugin implements DecoderPlugin {
    @Override
    public String name() {
      return "vorbis";
    }

    @Override
    public boolean accepts(byte[] head, int n, String extension) {
      int at = firstPacket(head, n);
      boolean magic =
          at >= 0
              && at + 7 <= n
              && head[at] == 1
              && head[at + 1] == 'v'
              && head[at + 2] == 'o'
              && head[at + 3] == 'r'
              && head[at + 4] == 'b';
      return magic || extension.equals("ogg") || extension.equals("oga");
    }

    @Override
    public Decoder open(Path file) throws IOException {
      return VorbisDecoder.open(file);
    }
  }

  /** Offset of the first packet in an Ogg file's first bytes, or -1 when they are not Ogg. */
  static int firstPacket(byte[] h, int n) {
    if (n < 28 || h[0] != 'O' || h[1] != 'g' || h[2] != 'g' || h[3] != 'S') {
      return -1;
    }
    return 27 + (h[26] & 0xFF);
  }
}
