package io.tonearm.daemon.encode;

/** The length of an MPEG audio Layer III frame from its 4-byte header (ISO 11172-3, 13818-3). */
final class Mp3FrameLength {

  private static final int[] BITRATE_V1 = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0
  };
  private static final int[] BITRATE_V2 = {
    0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0
  };
  private static final int[] RATE_V1 = {44_100, 48_000, 32_000, 0};

  private Mp3FrameLength() {}

  /** The frame's length in bytes, or 0 when {@code b[p..p+4)} is not a Layer III frame header. */
  static int of(byte[] b, int p) {
    int h =
        (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | b[p + 3] & 0xFF;
    if ((h & 0xFFE00000) != 0xFFE00000) {
      return 0;
    }
    int version = (h >>> 19) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    int layer = (h >>> 17) & 3; // 1: Layer III
    int bitrateIndex = (h >>> 12) & 15;
    int rateIndex = (h >>> 10) & 3;
    int padding = (h >>> 9) & 1;
    if (version == 1 || layer != 1 || rateIndex == 3) {
      return 0;
    }
    int kbps = version == 3 ? BITRATE_V1[bitrateIndex] : BITRATE_V2[bitrateIndex];
    int rate = RATE_V1[rateIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
    if (kbps == 0) {
      return 0;
    }
    return (version == 3 ? 144_000 : 72_000) * kbps / rate + padding;
  }
}
