package io.tonearm.daemon.encode;

/**
 * Frames packets into Ogg pages (RFC 3533) for one logical stream: each call to {@link #page}
 * writes one page holding the given whole packets, with its sequence number, granule position and
 * CRC. Packets up to 255 x 255 bytes per page. Not thread-safe.
 */
final class OggPageWriter {

  private static final int[] CRC = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i << 24;
      for (int b = 0; b < 8; b++) {
        c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
      }
      CRC[i] = c;
    }
  }

  /** Header type flag: first page of the stream. */
  static final int BOS = 2;

  private final int serial;
  private int sequence;

  OggPageWriter(int serial) {
    this.serial = serial;
  }

  /**
   * Appends one page holding {@code count} packets, packet {@code i} being {@code data[offsets[i]
   * .. offsets[i] + lengths[i])}.
   *
   * @param granule the granule position after the last packet on the page
   * @param flags 0, or {@link #BOS} for the first page
   */
  void page(
      byte[] data, int[] offsets, int[] lengths, int count, long granule, int flags, ByteSink out) {
    int segments = 0;
    int body = 0;
    for (int i = 0; i < count; i++) {
      segments += lengths[i] / 255 + 1;
      body += lengths[i];
    }
    if (segments > 255) {
      throw new IllegalArgumentException("packets too long for one Ogg page");
    }
    int start = out.size();
    out.ensure(27 + segments + body);
    byte[] b = out.array();
    int p = start;
    b[p++] = 'O';
    b[p++] = 'g';
    b[p++] = 'g';
    b[p++] = 'S';
    b[p++] = 0; // version
    b[p++] = (byte) flags;
    for (int i = 0; i < 8; i++) {
      b[p++] = (byte) (granule >>> (8 * i));
    }
    for (int i = 0; i < 4; i++) {
      b[p++] = (byte) (serial >>> (8 * i));
    }
    int seq = sequence++;
    for (int i = 0; i < 4; i++) {
      b[p++] = (byte) (seq >>> (8 * i));
    }
    int crcAt = p;
    p += 4; // CRC, filled below
    b[p++] = (byte) segments;
    for (int i = 0; i < count; i++) {
      int len = lengths[i];
      while (len >= 255) {
        b[p++] = (byte) 255;
        len -= 255;
      }
      b[p++] = (byte) len;
    }
    for (int i = 0; i < count; i++) {
      System.arraycopy(data, offsets[i], b, p, lengths[i]);
      p += lengths[i];
    }
    for (int i = 0; i < 4; i++) {
      b[crcAt + i] = 0;
    }
    int crc = 0;
    for (int i = start; i < p; i++) {
      crc = (crc << 8) ^ CRC[((crc >>> 24) ^ b[i]) & 0xFF];
    }
    for (int i = 0; i < 4; i++) {
      b[crcAt + i] = (byte) (crc >>> (8 * i));
    }
    out.grow(p - start);
  }
}
