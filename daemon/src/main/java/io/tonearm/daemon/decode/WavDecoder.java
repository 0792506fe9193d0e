package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * RIFF/WAVE: integer PCM of 8, 16, 24 and 32 bits and IEEE float of 32 and 64 bits, plain or
 * WAVE_FORMAT_EXTENSIBLE, with samples narrower than their container (20 in 24 bits). Seeks
 * exactly. A data chunk longer than the file (a truncated or still growing file) is read up to the
 * end of the file.
 */
public final class WavDecoder implements Decoder {

  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_FLOAT = 3;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;

  private final FileChannel channel;
  private final AudioFormat format;
  private final PcmReader pcm;

  private WavDecoder(Path file) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ByteBuffer hdr = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      readFully(hdr, 0);
      if (hdr.getInt(0) != 0x46464952 || hdr.getInt(8) != 0x45564157) { // "RIFF", "WAVE"
        throw new UnsupportedFormatException("not a RIFF/WAVE file");
      }
      long pos = 12;
      int fmtTag = -1;
      int channels = 0;
      int rate = 0;
      int bits = 0;
      int align = 0;
      long dataPos = -1;
      long dataLen = 0;
      ByteBuffer chunk = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
      while (pos + 8 <= channel.size()) {
        chunk.clear().limit(8);
        readFully(chunk, pos);
        int id = chunk.getInt(0);
        long len = Integer.toUnsignedLong(chunk.getInt(4));
        if (id == 0x20746d66) { // "fmt "
          if (len < 16) {
            throw new IOException("fmt chunk too short: " + len);
          }
          chunk.clear().limit((int) Math.min(len, 40));
          readFully(chunk, pos + 8);
          fmtTag = chunk.getShort(0) & 0xFFFF;
          channels = chunk.getShort(2) & 0xFFFF;
          rate = chunk.getInt(4);
          align = chunk.getShort(12) & 0xFFFF;
          bits = chunk.getShort(14) & 0xFFFF;
          if (fmtTag == FORMAT_EXTENSIBLE && len >= 26) {
            fmtTag = chunk.getShort(24) & 0xFFFF; // first two bytes of the sub-format GUID
          }
        } else if (id == 0x61746164) { // "data"
          dataPos = pos + 8;
          dataLen = Math.min(len, channel.size() - dataPos);
          break;
        }
        pos += 8 + len + (len & 1);
      }
      if (fmtTag < 0 || dataPos < 0) {
        throw new IOException("missing " + (fmtTag < 0 ? "fmt" : "data") + " chunk");
      }
      boolean floating = fmtTag == FORMAT_FLOAT;
      if (fmtTag != FORMAT_PCM && !floating) {
        throw new UnsupportedFormatException("WAV format tag " + fmtTag + " is not PCM or float");
      }
      // The container size comes from the block alignment: 20-bit audio sits in 3 bytes, 12 in 2.
      int container = channels <= 0 || align % channels != 0 ? 0 : align / channels;
      boolean sizeOk =
          floating
              ? bits == container * 8 && (container == 4 || container == 8)
              : container >= 1 && container <= 4 && bits <= container * 8 && bits > 0;
      if (!sizeOk || channels > 8 || rate <= 0 || rate > 768_000) {
        throw new UnsupportedFormatException(
            "unsupported WAV layout: "
                + bits
                + " bits, "
                + channels
                + " channels, align "
                + align
                + ", rate "
                + rate);
      }
      long frames = dataLen / align;
      format = new AudioFormat(rate, channels, frames, "wav", floating ? 0 : bits);
      pcm =
          new PcmReader(
              channel,
              dataPos,
              frames,
              channels,
              container,
              align,
              floating,
              false,
              container == 1);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Opens a WAV file. */
  public static WavDecoder open(Path file) throws IOException {
    return new WavDecoder(file);
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
    ChannelReads.readFully(channel, dst, at, "WAV header");
  }

  /** Registry entry: RIFF/WAVE by magic, or the .wav extension. */
  static final class Plugin implements DecoderPlugin {
    @Override
    public String name() {
      return "wav";
    }

    @Override
    public boolean accepts(byte[] head, int n, String extension) {
      boolean magic =
          n >= 12
              && head[0] == 'R'
              && head[1] == 'I'
              && head[2] == 'F'
              && head[3] == 'F'
              && head[8] == 'W'
              && head[9] == 'A'
              && head[10] == 'V'
              && head[11] == 'E';
      return magic || extension.equals("wav");
    }

    @Override
    public Decoder open(Path file) throws IOException {
      return WavDecoder.open(file);
    }
  }
}
