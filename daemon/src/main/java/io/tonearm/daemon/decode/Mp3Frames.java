package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Walks an MPEG audio file's frame headers once (ISO/IEC 11172-3 section 2.4.2.3) and keeps every
 * frame's offset, so that a seek can start at any frame. Reads the Xing/Info header and its LAME
 * extension for the encoder delay and padding (the LAME tag spec, gabriel.mp3-tech.org), and skips
 * that frame, which carries no audio. Junk between frames is skipped by searching for a header that
 * is followed by another one.
 */
final class Mp3Frames {

  private static final int[][] BITRATES = {
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 layer I
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG-1 layer II
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG-1 layer III
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG-2/2.5 layer I
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // MPEG-2/2.5 layer II, III
  };
  private static final int[] RATES = {44100, 48000, 32000};
  private static final long MAX_SYNC_SEARCH = 1 << 20;

  long[] offsets = new long[1024];
  int count;
  int sampleRate;
  int channels;
  int samplesPerFrame;
  int layer;
  int encoderDelay = -1;
  int encoderPadding = -1;

  /** Length in bytes of the frame with header {@code h}, or -1 when {@code h} is not a header. */
  static int frameLength(int h) {
    if ((h & 0xFFE00000) != 0xFFE00000) {
      return -1;
    }
    int version = (h >>> 19) & 3; // 0: 2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
    int layer = 4 - ((h >>> 17) & 3);
    int br = (h >>> 12) & 15;
    int sr = (h >>> 10) & 3;
    if (version == 1 || layer == 4 || br == 0 || br == 15 || sr == 3) {
      return -1;
    }
    int rate = rate(h);
    int pad = (h >>> 9) & 1;
    boolean mpeg1 = version == 3;
    int kbps = BITRATES[mpeg1 ? layer - 1 : (layer == 1 ? 3 : 4)][br];
    if (layer == 1) {
      return (12 * kbps * 1000 / rate + pad) * 4;
    }
    int coef = layer == 3 && !mpeg1 ? 72 : 144;
    return coef * kbps * 1000 / rate + pad;
  }

  static int rate(int h) {
    int version = (h >>> 19) & 3;
    int base = RATES[(h >>> 10) & 3];
    return version == 3 ? base : version == 2 ? base / 2 : base / 4;
  }

  /** Same stream parameters (version, layer, sample rate): guards against false syncs. */
  private static boolean compatible(int a, int b) {
    return (a & 0xFFFE0C00) == (b & 0xFFFE0C00);
  }

  /** Scans the file from {@code start}; throws {@link UnsupportedFormatException} if not MPEG. */
  void scan(FileChannel ch, long start) throws IOException {
    long size = ch.size();
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long bufStart = 0;
    int bufLen = 0;
    long at = start;
    int first = 0;
    while (at + 4 <= size) {
      if (at < bufStart || at + 4 > bufStart + bufLen) {
        bufStart = at;
        buf.clear();
        while (buf.hasRemaining() && ch.read(buf, bufStart + buf.position()) > 0) {
          // fill
        }
        bufLen = buf.position();
      }
      int h = buf.getInt((int) (at - bufStart));
      int len = frameLength(h);
      boolean ok = len > 0 && (first == 0 || compatible(first, h));
      if (ok && count == 0) {
        ok = confirm(ch, at + len, h, size); // the first frame must be followed by another
      }
      if (!ok) {
        if (count == 0 && at - start > MAX_SYNC_SEARCH) {
          break; // a megabyte without two frames in a row: not MPEG audio
        }
        if (count > 0 && at + 128 >= size) {
          break; // an ID3v1 tag or similar trailer
        }
        at++;
        continue;
      }
      if (at + len > size) {
        break; // truncated last frame
      }
      if (count == 0) {
        first = h;
        layer = 4 - ((h >>> 17) & 3);
        sampleRate = rate(h);
        channels = ((h >>> 6) & 3) == 3 ? 1 : 2;
        boolean mpeg1 = ((h >>> 19) & 3) == 3;
        samplesPerFrame = layer == 1 ? 384 : (layer == 3 && !mpeg1 ? 576 : 1152);
        if (layer == 3 && readInfoFrame(ch, at, h, mpeg1, len)) {
          at += len;
          first = h;
          continue; // the Xing/Info/VBRI frame holds no audio
        }
      }
      if (count == offsets.length) {
        offsets = Arrays.copyOf(offsets, count * 2);
      }
      offsets[count++] = at;
      at += len;
      if (count > 0 && first == 0) {
        first = h;
      }
    }
    if (count == 0) {
      throw new UnsupportedFormatException("no MPEG audio frames found");
    }
  }

  private static boolean confirm(FileChannel ch, long next, int h, long size) throws IOException {
    if (next + 4 > size) {
      return next == size; // a one-frame file
    }
    ByteBuffer b = ByteBuffer.allocate(4);
    while (b.hasRemaining() && ch.read(b, next + b.position()) > 0) {
      // fill
    }
    return !b.hasRemaining() && frameLength(b.getInt(0)) > 0 && compatible(h, b.getInt(0));
  }

  /** Reads a Xing/Info (with LAME tag) or VBRI header in the frame at {@code at}. */
  private boolean readInfoFrame(FileChannel ch, long at, int h, boolean mpeg1, int len)
      throws IOException {
    ByteBuffer f = ByteBuffer.allocate(Math.min(len, 512));
    while (f.hasRemaining() && ch.read(f, at + f.position()) > 0) {
      // fill
    }
    boolean mono = ((h >>> 6) & 3) == 3;
    int x = 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
    int tag = x + 8 <= f.position() ? f.getInt(x) : 0;
    if (tag == 0x58696E67 || tag == 0x496E666F) { // "Xing", "Info"
      int flags = f.getInt(x + 4);
      int p =
          x
              + 8
              + ((flags & 1) != 0 ? 4 : 0)
              + ((flags & 2) != 0 ? 4 : 0)
              + ((flags & 4) != 0 ? 100 : 0)
              + ((flags & 8) != 0 ? 4 : 0);
      if (p + 24 <= f.position()) {
        int d0 = f.get(p + 21) & 0xFF;
        int d1 = f.get(p + 22) & 0xFF;
        int d2 = f.get(p + 23) & 0xFF;
        byte c = f.get(p);
        if (c == 'L' || c == 'G' || c == 'l') { // LAME, GOGO, Lavc/Lavf write this layout
          encoderDelay = (d0 << 4) | (d1 >>> 4);
          encoderPadding = ((d1 & 15) << 8) | d2;
        }
      }
      return true;
    }
    return 36 + 4 <= f.position() && f.getInt(36) == 0x56425249; // "VBRI"
  }
}
