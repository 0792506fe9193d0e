package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * AIFF and AIFF-C with uncompressed audio: big-endian integer PCM of 8 to 32 bits ("NONE", "twos",
 * "in24", "in32"), little-endian integers ("sowt"), unsigned 8-bit ("raw "), and IEEE float
 * ("fl32", "fl64"). Other AIFF-C codecs raise {@link UnsupportedFormatException} so that ffmpeg,
 * when present, can take the file. Seeks exactly.
 */
public final class AiffDecoder implements Decoder {

  private final FileChannel channel;
  private final AudioFormat format;
  private final PcmReader pcm;

  private AiffDecoder(Path file) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ByteBuffer hdr = ByteBuffer.allocate(12);
      readFully(hdr, 0);
      int form = hdr.getInt(8);
      boolean aifc = form == 0x41494643; // "AIFC"
      if (hdr.getInt(0) != 0x464F524D || (!aifc && form != 0x41494646)) { // "FORM", "AIFF"
        throw new UnsupportedFormatException("not an AIFF file");
      }
      long size = channel.size();
      long pos = 12;
      ByteBuffer comm = null;
      long dataPos = -1;
      ByteBuffer chunk = ByteBuffer.allocate(8);
      while (pos + 8 <= size) {
        chunk.clear();
        readFully(chunk, pos);
        int id = chunk.getInt(0);
        long len = Integer.toUnsignedLong(chunk.getInt(4));
        if (id == 0x434F4D4D) { // "COMM"
          if (len < 18 || len > 4096) {
            throw new IOException("AIFF COMM chunk has a bad length: " + len);
          }
          comm = ByteBuffer.allocate((int) len);
          readFully(comm, pos + 8);
        } else if (id == 0x53534E44) { // "SSND"
          ByteBuffer off = ByteBuffer.allocate(8);
          readFully(off, pos + 8);
          dataPos = pos + 16 + Integer.toUnsignedLong(off.getInt(0));
        }
        pos += 8 + len + (len & 1);
      }
      if (comm == null || dataPos < 0) {
        throw new IOException("AIFF file lacks its " + (comm == null ? "COMM" : "SSND") + " chunk");
      }
      int channels = comm.getShort(0);
      long frames = Integer.toUnsignedLong(comm.getInt(2));
      int bits = comm.getShort(6);
      double rate = extended(comm, 8);
      int codec = aifc && comm.capacity() >= 22 ? comm.getInt(18) : 0x4E4F4E45; // "NONE"
      boolean floating =
          codec == 0x666C3332
              || codec == 0x464C3332 // fl32, FL32
              || codec == 0x666C3634
              || codec == 0x464C3634; // fl64, FL64
      int bytes;
      if (floating) {
        bytes = (codec == 0x666C3332 || codec == 0x464C3332) ? 4 : 8;
      } else if (codec == 0x4E4F4E45
          || codec == 0x74776F73
          || codec == 0x736F7774 // NONE twos sowt
          || codec == 0x72617720) { // "raw "
        bytes = (bits + 7) / 8;
      } else if (codec == 0x696E3234 || codec == 0x696E3332) { // in24, in32
        bytes = codec == 0x696E3234 ? 3 : 4;
      } else {
        throw new UnsupportedFormatException("AIFF-C compression '" + fourcc(codec) + "'");
      }
      if (channels <= 0
          || channels > 8
          || bytes < 1
          || bytes > 8
          || bits <= 0
          || bits > 64
          || !(rate >= 1 && rate <= 768_000)) {
        throw new UnsupportedFormatException(
            "unsupported AIFF layout: "
                + channels
                + " channels, "
                + bits
                + " bits, "
                + rate
                + " Hz");
      }
      long available = Math.max(0, size - dataPos) / ((long) channels * bytes);
      frames = Math.min(frames, available);
      format =
          new AudioFormat((int) Math.round(rate), channels, frames, "aiff", floating ? 0 : bits);
      pcm =
          new PcmReader(
              channel,
              dataPos,
              frames,
              channels,
              bytes,
              channels * bytes,
              floating,
              codec != 0x736F7774,
              codec == 0x72617720);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Opens an AIFF or AIFF-C file. */
  public static AiffDecoder open(Path file) throws IOException {
    return new AiffDecoder(file);
  }

  /** The 80-bit IEEE 754 extended value at {@code at}: AIFF's sample rate. */
  static double extended(ByteBuffer b, int at) {
    int se = b.getShort(at) & 0xFFFF;
    long mantissa = b.getLong(at + 2);
    if ((se & 0x7FFF) == 0 && mantissa == 0) {
      return 0;
    }
    double m = (mantissa >>> 11) * 0x1p-52; // top 53 bits, integer bit included
    double v = Math.scalb(m, (se & 0x7FFF) - 16383);
    return (se & 0x8000) != 0 ? -v : v;
  }

  private static String fourcc(int v) {
    char[] c = new char[4];
    for (int i = 0; i < 4; i++) {
      int ch = (v >>> (24 - 8 * i)) & 0xFF;
      c[i] = ch >= 32 && ch < 127 ? (char) ch : '?';
    }
    return new String(c);
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    return pcm.read(dst, offset, maxFrames);
  }

  @Override
  public void seek(long target) throws IOException {
    pcm.seek(target);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void readFully(ByteBuffer dst, long at) throws IOException {
    ChannelReads.readFully(channel, dst, at, "AIFF header");
  }

  /** Registry entry: FORM/AIFF or FORM/AIFC magic, or the .aif, .aiff, .aifc extensions. */
  static final class Plugin implements DecoderPlugin {
    @Override
    public String name() {
      return "aiff";
    }

    @Override
    public boolean accepts(byte[] h, int n, String ext) {
      boolean magic =
          n >= 12
              && h[0] == 'F'
              && h[1] == 'O'
              && h[2] == 'R'
              && h[3] == 'M'
              && h[8] == 'A'
              && h[9] == 'I'
              && h[10] == 'F'
              && (h[11] == 'F' || h[11] == 'C');
      return magic || ext.equals("aif") || ext.equals("aiff") || ext.equals("aifc");
    }

    @Override
    public Decoder open(Path file) throws IOException {
      return AiffDecoder.open(file);
    }
  }
}
