package io.tonearm.daemon.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlacBitReaderTest {

  @TempDir Path dir;

  /** The CRC-16 bit by bit, straight from its definition (polynomial 0x8005, MSB first). */
  private static int referenceCrc16(byte[] b, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (b[i] & 0xFF) << 8;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
      }
    }
    return crc;
  }

  @Test
  void slicedCrc16EqualsTheBitwiseDefinition() {
    Random random = new Random(3);
    byte[] b = new byte[300];
    random.nextBytes(b);
    for (int from = 0; from < 9; from++) {
      for (int to = from; to < b.length; to += 7) {
        assertEquals(referenceCrc16(b, from, to), FlacBitReader.crc16(0, b, from, to));
      }
    }
  }

  @Test
  void riceBlockReadsLongAndShortCodesAndTheCrcCoversExactlyTheReadBytes() throws IOException {
    int[] values = {0, -1, 1, 5000, -70000, 3, 0, 123456, -2, 40, 1 << 20, -(1 << 21)};
    for (int k : new int[] {0, 1, 4, 13}) {
      BitWriter w = new BitWriter();
      w.write(0b101, 3); // an odd start, so the codes are not byte-aligned
      for (int v : values) {
        long u = v >= 0 ? 2L * v : -2L * v - 1;
        for (long q = u >>> k; q > 0; q--) {
          w.write(0, 1);
        }
        w.write(1, 1);
        w.write(u & ((1L << k) - 1), k);
      }
      w.align();
      byte[] body = w.bytes();
      int crc = referenceCrc16(body, 0, body.length);
      w.write(crc, 16);
      w.write(0xAB, 8);
      Path file = dir.resolve("rice" + k);
      Files.write(file, w.bytes());
      try (FileChannel ch = FileChannel.open(file)) {
        FlacBitReader in = new FlacBitReader(ch);
        in.position(0);
        in.resetCrc16();
        assertEquals(0b101, in.readUInt(3));
        int[] out = new int[values.length];
        in.readRice(out, 0, values.length, k);
        assertArrayEquals(values, out, "k=" + k);
        in.alignToByte();
        assertEquals(body.length, in.bytePosition());
        assertEquals(crc, in.crc16());
        assertEquals(crc, in.readUInt(16));
        assertEquals(0xAB, in.readUInt(8));
        assertThrows(EOFException.class, () -> in.readUInt(1));
      }
    }
  }

  private static final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int acc;
    private int bits;

    void write(long v, int n) {
      for (int i = n - 1; i >= 0; i--) {
        acc = (acc << 1) | (int) ((v >>> i) & 1);
        if (++bits == 8) {
          out.write(acc);
          acc = 0;
          bits = 0;
        }
      }
    }

    void align() {
      while (bits != 0) {
        write(0, 1);
      }
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
