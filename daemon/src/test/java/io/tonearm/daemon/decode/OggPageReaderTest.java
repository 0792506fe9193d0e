package io.tonearm.daemon.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OggPageReaderTest {

  @TempDir Path dir;

  /** The Ogg CRC-32 bit by bit, from its definition (polynomial 0x04C11DB7, MSB first). */
  private static int referenceCrc32(byte[] b, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (b[i] & 0xFF) << 24;
      for (int k = 0; k < 8; k++) {
        crc = crc < 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
      }
    }
    return crc;
  }

  @Test
  void slicedCrc32EqualsTheBitwiseDefinition() {
    Random random = new Random(5);
    byte[] b = new byte[300];
    random.nextBytes(b);
    for (int from = 0; from < 9; from++) {
      for (int to = from; to < b.length; to += 7) {
        assertEquals(referenceCrc32(b, from, to), OggPageReader.crc32(0, b, from, to));
      }
    }
  }

  @Test
  void pageWithItsChecksumIsReadAndOneWithAFlippedBitIsSkipped() throws IOException {
    byte[] body = new byte[100];
    new Random(9).nextBytes(body);
    byte[] page = new byte[27 + 1 + body.length];
    page[0] = 'O';
    page[1] = 'g';
    page[2] = 'g';
    page[3] = 'S';
    page[5] = OggPageReader.FLAG_BOS;
    page[6] = 42; // granule position
    page[14] = 7; // serial number
    page[26] = 1;
    page[27] = (byte) body.length;
    System.arraycopy(body, 0, page, 28, body.length);
    int crc = referenceCrc32(page, 0, page.length); // checksum field still zero
    for (int k = 0; k < 4; k++) {
      page[22 + k] = (byte) (crc >>> (8 * k));
    }
    Path good = dir.resolve("good.ogg");
    Files.write(good, page);
    try (FileChannel ch = FileChannel.open(good)) {
      OggPageReader r = new OggPageReader(ch);
      assertTrue(r.nextPage(1 << 20));
      assertEquals(42, r.granule);
      assertEquals(7, r.serial);
      assertEquals(body.length, r.bodyLength);
    }
    page[60] ^= 0x10;
    Path bad = dir.resolve("bad.ogg");
    Files.write(bad, page);
    try (FileChannel ch = FileChannel.open(bad)) {
      assertFalse(new OggPageReader(ch).nextPage(1 << 20));
    }
  }
}
