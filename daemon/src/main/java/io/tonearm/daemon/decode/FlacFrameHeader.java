package io.tonearm.daemon.decode;

/**
 * One parsed FLAC frame header (RFC 9639 section 9.1).
 *
 * @param firstSample the stream's sample (inter-channel frame) number of the frame's first sample
 * @param blockSize samples per channel in the frame
 * @param channelAssignment 0-7 independent channels, 8 left/side, 9 side/right, 10 mid/side
 * @param bitsPerSample sample size, 0 when taken from STREAMINFO
 * @param sampleRate rate in Hz, 0 when taken from STREAMINFO
 * @param length header length in bytes, CRC-8 included
 */
record FlacFrameHeader(
    long firstSample,
    int blockSize,
    int channelAssignment,
    int bitsPerSample,
    int sampleRate,
    int length) {

  private static final int[] CRC8 = new int[256];
  private static final int[] RATES = {
    0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000
  };
  private static final int[] SIZES = {0, 8, 12, -1, 16, 20, 24, 32};

  static {
    for (int i = 0; i < 256; i++) {
      int c = i;
      for (int j = 0; j < 8; j++) {
        c = (c & 0x80) != 0 ? (c << 1) ^ 0x07 : c << 1;
      }
      CRC8[i] = c & 0xFF;
    }
  }

  int channels() {
    return channelAssignment < 8 ? channelAssignment + 1 : 2;
  }

  /**
   * Parses a header at {@code b[off]}, or returns null when the bytes are not a valid header (bad
   * sync, reserved values, CRC-8 mismatch, or too few bytes). {@code fixedBlockSize} converts the
   * frame number of fixed-blocksize streams to a sample number.
   */
  static FlacFrameHeader parse(byte[] b, int off, int avail, int fixedBlockSize) {
    if (avail < 6 || (b[off] & 0xFF) != 0xFF || (b[off + 1] & 0xFE) != 0xF8) {
      return null;
    }
    boolean variable = (b[off + 1] & 1) != 0;
    int bsCode = (b[off + 2] & 0xF0) >>> 4;
    int rateCode = b[off + 2] & 0x0F;
    int chan = (b[off + 3] & 0xF0) >>> 4;
    int sizeCode = (b[off + 3] & 0x0E) >>> 1;
    if (bsCode == 0
        || rateCode == 15
        || chan > 10
        || SIZES[sizeCode] < 0
        || (b[off + 3] & 1) != 0) {
      return null;
    }
    int p = off + 4;
    int first = b[p++] & 0xFF;
    int extra;
    long number;
    if (first < 0x80) {
      extra = 0;
      number = first;
    } else if (first >= 0xC0 && first <= 0xFE) {
      extra = Integer.numberOfLeadingZeros(~first << 24) - 1;
      number = first & (0x3F >>> extra);
    } else {
      return null;
    }
    if (p + extra + 3 > off + avail) {
      return null;
    }
    for (int i = 0; i < extra; i++) {
      int c = b[p++] & 0xFF;
      if ((c & 0xC0) != 0x80) {
        return null;
      }
      number = (number << 6) | (c & 0x3F);
    }
    int blockSize;
    if (bsCode == 1) {
      blockSize = 192;
    } else if (bsCode <= 5) {
      blockSize = 576 << (bsCode - 2);
    } else if (bsCode == 6) {
      blockSize = (b[p++] & 0xFF) + 1;
    } else if (bsCode == 7) {
      blockSize = (((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF)) + 1;
      p += 2;
    } else {
      blockSize = 256 << (bsCode - 8);
    }
    int rate;
    if (rateCode < 12) {
      rate = RATES[rateCode];
    } else {
      int n = rateCode == 12 ? 1 : 2;
      if (p + n + 1 > off + avail) {
        return null;
      }
      int v = n == 1 ? b[p] & 0xFF : ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
      p += n;
      rate = rateCode == 12 ? v * 1000 : rateCode == 13 ? v : v * 10;
    }
    if (p + 1 > off + avail) {
      return null;
    }
    int crc = 0;
    for (int i = off; i < p; i++) {
      crc = CRC8[(crc ^ b[i]) & 0xFF];
    }
    if (crc != (b[p] & 0xFF)) {
      return null;
    }
    long firstSample = variable ? number : number * fixedBlockSize;
    return new FlacFrameHeader(firstSample, blockSize, chan, SIZES[sizeCode], rate, p + 1 - off);
  }
}
