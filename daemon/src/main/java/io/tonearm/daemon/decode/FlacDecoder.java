package io.tonearm.daemon.decode;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Native FLAC (RFC 9639), 4 to 24 bits, 1 to 8 channels. Verifies every frame's CRC-8 and CRC-16.
 * Seeks exactly: from the nearest SEEKTABLE point (or the stream start), narrowed by a bisection
 * over frame headers, then decode-and-discard inside the frame that holds the target.
 */
public final class FlacDecoder implements Decoder {

  private final FileChannel channel;
  private final FlacBitReader in;
  private final FlacSubframes subframes = new FlacSubframes();
  private final AudioFormat format;
  private final int bps;
  private final int fixedBlockSize;
  private final int maxBlockSize;
  private final long firstFrame;
  private final long[] seekSamples;
  private final long[] seekOffsets;
  private final float scale;
  private FlacSeeker seeker;
  private int[][] block;
  private int blockLen;
  private int blockPos;
  private long blockFirst; // sample number of block[.][0]
  private boolean ended;
  private long silence; // frames of silence owed for a damaged span, before the current block
  private long lastFrameBytes;
  private String problem;

  private FlacDecoder(Path file) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      in = new FlacBitReader(channel);
      long at = Id3v2.skip(channel);
      ByteBuffer hdr = ByteBuffer.allocate(4);
      readFully(hdr, at);
      if (hdr.getInt(0) != 0x664C6143) { // "fLaC"
        throw new UnsupportedFormatException("not a FLAC stream");
      }
      at += 4;
      ByteBuffer info = null;
      ByteBuffer seek = null;
      boolean last = false;
      while (!last) {
        ByteBuffer bh = ByteBuffer.allocate(4);
        readFully(bh, at);
        int h = bh.getInt(0);
        last = (h & 0x80000000) != 0;
        int type = (h >>> 24) & 0x7F;
        int len = h & 0xFFFFFF;
        if (type == 0 || (type == 3 && len <= 18 * 65536)) {
          ByteBuffer body = ByteBuffer.allocate(len);
          readFully(body, at + 4);
          if (type == 0) {
            info = body;
          } else {
            seek = body;
          }
        } else if (type == 127) {
          throw new IOException("invalid FLAC metadata block type 127");
        }
        at += 4 + len;
        if (at > channel.size()) {
          throw new EOFException("FLAC metadata runs past the end of the file");
        }
      }
      if (info == null || info.capacity() < 34) {
        throw new IOException("FLAC stream has no valid STREAMINFO");
      }
      firstFrame = at;
      int minBlock = info.getShort(0) & 0xFFFF;
      maxBlockSize = info.getShort(2) & 0xFFFF;
      long packed = info.getLong(10);
      int rate = (int) (packed >>> 44);
      int channels = (int) ((packed >>> 41) & 7) + 1;
      bps = (int) ((packed >>> 36) & 31) + 1;
      long total = packed & 0xFFFFFFFFFL;
      if (minBlock < 16 || maxBlockSize < minBlock || rate == 0) {
        throw new IOException("invalid FLAC STREAMINFO: block " + minBlock + ".." + maxBlockSize);
      }
      if (bps < 4 || bps > 24) {
        throw new UnsupportedFormatException("FLAC with " + bps + " bits per sample");
      }
      fixedBlockSize =
          maxBlockSize; // fixed-blocksize frames are numbered; all but the last are this long
      scale = 1f / (1 << (bps - 1));
      format = new AudioFormat(rate, channels, total == 0 ? -1 : total, "flac", bps);
      block = new int[channels][maxBlockSize];
      int points = seek == null ? 0 : seek.capacity() / 18;
      seekSamples = new long[points];
      seekOffsets = new long[points];
      for (int i = 0; i < points; i++) {
        seekSamples[i] = seek.getLong(i * 18);
        seekOffsets[i] = seek.getLong(i * 18 + 8);
      }
      in.position(firstFrame);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Opens a FLAC file. */
  public static FlacDecoder open(Path file) throws IOException {
    return new FlacDecoder(file);
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    if (silence == 0 && blockPos == blockLen && !nextFrame()) {
      return -1;
    }
    int ch = format.channels();
    if (silence > 0) {
      int z = (int) Math.min(maxFrames, silence); // a damaged span skipped by a resync
      Arrays.fill(dst, offset, offset + z * ch, 0f);
      silence -= z;
      return z;
    }
    int n = Math.min(maxFrames, blockLen - blockPos);
    for (int c = 0; c < ch; c++) {
      int[] src = block[c];
      for (int i = 0, o = offset + c; i < n; i++, o += ch) {
        dst[o] = src[blockPos + i] * scale;
      }
    }
    blockPos += n;
    return n;
  }

  /** Decodes the next frame into {@link #block}; false at the end of the stream. */
  private boolean nextFrame() throws IOException {
    long total = format.frames();
    if (ended || (total >= 0 && blockFirst + blockLen >= total)) {
      ended = true;
      return false;
    }
    long at = in.bytePosition();
    int avail = in.peek(32);
    if (avail < 2) {
      ended = true;
      return false;
    }
    FlacFrameHeader h = FlacFrameHeader.parse(in.buffer(), in.bufferPos(), avail, fixedBlockSize);
    if (h == null && total < 0) {
      ended = true; // no length known: trailing tags or junk end the stream
      return false;
    }
    long expected = blockFirst + blockLen; // the first sample of the frame that should be here
    try {
      if (h == null) {
        throw new IOException("corrupt FLAC frame header at byte " + at);
      }
      decodeFrame(h);
      return true;
    } catch (IOException | RuntimeException e) {
      if (e.getMessage() != null && e.getMessage().contains("changes the format")) {
        throw e;
      }
      if (!resync(at + 1, expected)) {
        throw e instanceof IOException io ? io : new IOException(e.toString(), e);
      }
      problem =
          "skipped damaged FLAC data: bytes "
              + at
              + ".."
              + (in.bytePosition() - 1 - lastFrameBytes)
              + ", samples "
              + expected
              + ".."
              + blockFirst
              + " played as silence ("
              + e.getMessage()
              + ")";
      return true;
    }
  }

  /**
   * Finds the next valid frame at or after byte {@code from}: sync code, header CRC-8 and frame
   * CRC-16 all good, and a first sample after {@code expected}. Decodes it; the samples between are
   * played as silence, so positions and the length stay true. False when none is left.
   */
  private boolean resync(long from, long expected) throws IOException {
    long size = channel.size();
    for (long at = from; at + 2 <= size; at++) {
      in.position(at);
      int avail = in.peek(32);
      if (avail < 2) {
        return false;
      }
      byte[] b = in.buffer();
      int p = in.bufferPos();
      if ((b[p] & 0xFF) != 0xFF || (b[p + 1] & 0xFE) != 0xF8) {
        continue;
      }
      FlacFrameHeader h = FlacFrameHeader.parse(b, p, avail, fixedBlockSize);
      if (h == null || h.firstSample() < expected) {
        continue;
      }
      try {
        decodeFrame(h);
      } catch (IOException | RuntimeException e) {
        continue;
      }
      lastFrameBytes = in.bytePosition() - at;
      silence = blockFirst - expected;
      return true;
    }
    return false;
  }

  @Override
  public String takeProblem() {
    String p = problem;
    problem = null;
    return p;
  }

  private void decodeFrame(FlacFrameHeader h) throws IOException {
    int ch = format.channels();
    if (h.channels() != ch
        || (h.bitsPerSample() != 0 && h.bitsPerSample() != bps)
        || (h.sampleRate() != 0 && h.sampleRate() != format.sampleRate())) {
      throw new IOException("FLAC frame at sample " + h.firstSample() + " changes the format");
    }
    int n = h.blockSize();
    if (n > block[0].length) {
      block = new int[ch][n]; // only for streams whose STREAMINFO understates the block size
    }
    in.resetCrc16();
    in.skipPeeked(h.length());
    for (int c = 0; c < ch; c++) {
      boolean side =
          (h.channelAssignment() == 8 && c == 1)
              || (h.channelAssignment() == 9 && c == 0)
              || (h.channelAssignment() == 10 && c == 1);
      subframes.decode(in, block[c], n, side ? bps + 1 : bps);
    }
    in.alignToByte();
    int crc = in.crc16();
    if (in.readUInt(16) != crc) {
      throw new IOException("FLAC frame at sample " + h.firstSample() + " fails its CRC-16");
    }
    if (ch == 2) {
      FlacSubframes.decorrelate(h.channelAssignment(), block[0], block[1], n);
    }
    blockFirst = h.firstSample();
    long total = format.frames();
    blockLen = total >= 0 ? (int) Math.max(0, Math.min(n, total - blockFirst)) : n;
    blockPos = 0;
  }

  @Override
  public void seek(long target) throws IOException {
    long total = format.frames();
    if (target < 0 || (total >= 0 && target > total)) {
      throw new IOException("seek to frame " + target + " outside 0.." + total);
    }
    if (total >= 0 && target == total) {
      ended = true;
      blockFirst = total;
      blockLen = 0;
      blockPos = 0;
      return;
    }
    long loOffset = firstFrame;
    long loSample = 0;
    for (int i = 0; i < seekSamples.length; i++) {
      if (seekSamples[i] != -1 && seekSamples[i] <= target && seekSamples[i] >= loSample) {
        loSample = seekSamples[i];
        loOffset = firstFrame + seekOffsets[i];
      }
    }
    long[] lo = {loOffset, loSample};
    if (seeker == null) {
      seeker = new FlacSeeker(channel, fixedBlockSize); // its 64 KiB window, once per file
    }
    seeker.narrow(lo, target, total, maxBlockSize);
    in.position(lo[0]);
    ended = false;
    silence = 0;
    blockLen = 0;
    blockPos = 0;
    blockFirst = lo[1];
    while (true) {
      if (!nextFrame()) {
        if (total < 0) {
          return; // length unknown: the target was past the end, which reads as the end
        }
        throw new IOException("seek to frame " + target + " ran off the end of the stream");
      }
      if (blockFirst + blockLen > target) {
        blockPos = (int) Math.max(0, target - blockFirst);
        return;
      }
      blockPos = blockLen;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void readFully(ByteBuffer dst, long at) throws IOException {
    ChannelReads.readFully(channel, dst, at, "FLAC metadata");
  }

  /** Registry entry: "fLaC" magic (after an optional ID3v2 tag), or the .flac extension. */
  static final class Plugin implements DecoderPlugin {
    @Override
    public String name() {
      return "flac";
    }

    @Override
    public boolean accepts(byte[] head, int n, String extension) {
      boolean magic =
          n >= 4 && head[0] == 'f' && head[1] == 'L' && head[2] == 'a' && head[3] == 'C';
      return magic || extension.equals("flac");
    }

    @Override
    public Decoder open(Path file) throws IOException {
      return FlacDecoder.open(file);
    }
  }
}
