package io.tonearm.bench.floor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloorTest {

  @TempDir Path dir;

  /** A FLAC head written here by the format's layout (RFC 9639 section 8) reads back whole. */
  @Test
  void scanFloorReadsStreamInfoAndTags() throws Exception {
    Path f = dir.resolve("a.flac");
    Files.write(f, flac(48_000, 2, 16, 123_456_789L, "TITLE=Äpfel", "artist=B", "bad"));
    ScanFloor.Track t = ScanFloor.read(f);
    assertEquals(48_000, t.rate());
    assertEquals(2, t.channels());
    assertEquals(123_456_789L, t.samples());
    assertEquals(Map.of("TITLE", "Äpfel", "ARTIST", "B"), t.tags());
  }

  @Test
  void scanFloorSkipsWhatIsNotFlac() throws Exception {
    Path f = dir.resolve("b.flac");
    Files.write(f, "ID3 not a flac file at all, but long enough to be read".getBytes());
    assertNull(ScanFloor.read(f));
  }

  /** A comment block longer than the file stops the read with STREAMINFO's figures kept. */
  @Test
  void scanFloorStopsAtATruncatedBlock() throws Exception {
    byte[] whole = flac(44_100, 1, 24, 10, "TITLE=x");
    Path f = dir.resolve("c.flac");
    Files.write(f, java.util.Arrays.copyOf(whole, whole.length - 64 - 3)); // 3 bytes into the tag
    ScanFloor.Track t = ScanFloor.read(f);
    assertEquals(44_100, t.rate());
    assertEquals(1, t.channels());
    assertEquals(Map.of(), t.tags());
  }

  @Test
  void volumeOfABody() {
    assertEquals(42, FloorServer.volume("{\"volume\": 42}"));
    assertEquals(100, FloorServer.volume("{\"volume\":100}"));
    assertEquals(-1, FloorServer.volume("{\"volume\":101}"));
    assertEquals(-1, FloorServer.volume("{\"volume\":1000}"));
    assertEquals(-1, FloorServer.volume("{\"volume\":99999999999}"));
    assertEquals(-1, FloorServer.volume("{\"level\":1}"));
  }

  private static byte[] flac(int rate, int channels, int bits, long samples, String... comments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("fLaC".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer info = ByteBuffer.allocate(4 + 34);
    info.putInt(34); // not last, type 0 (STREAMINFO), length 34
    info.putShort((short) 4096).putShort((short) 4096).put(new byte[6]);
    info.putLong(
        ((long) rate << 44) | ((long) (channels - 1) << 41) | ((long) (bits - 1) << 36) | samples);
    info.put(new byte[16]); // MD5
    out.writeBytes(info.array());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ByteBuffer n = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    body.writeBytes(n.putInt(0, 6).array());
    body.writeBytes("vendor".getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(n.putInt(0, comments.length).array());
    for (String c : comments) {
      byte[] b = c.getBytes(StandardCharsets.UTF_8);
      body.writeBytes(n.putInt(0, b.length).array());
      body.writeBytes(b);
    }
    out.writeBytes(ByteBuffer.allocate(4).putInt(0x84000000 | body.size()).array()); // last, type 4
    out.writeBytes(body.toByteArray());
    out.writeBytes(new byte[64]); // the first frame's place
    return out.toByteArray();
  }
}
