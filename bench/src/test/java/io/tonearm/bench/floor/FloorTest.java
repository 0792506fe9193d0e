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

  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

  /** A FLAC head written here by the format's layout (RFC 9639 section 8) reads back whole. */
  @Test
  void scanFloorReadsStreamInfoAndTags() throws Exception {
    Path f = dir.resolve("a.flac");
    Files.write(f, flac(48_000, 2, 16, 123_456_789L, "TITLE=Äpfel", "artist=B", "bad"));
    ScanFloor.Track t = ScanFloor.read(f, buf);
    assertEquals(48_000, t.rate());
    assertEquals(2, t.channels());
    assertEquals(123_456_789L, t.samples());
    assertEquals(Map.of("TITLE", "Äpfel", "ARTIST", "B"), t.tags());
  }

  @Test
  void scanFloorSkipsWhatIsNotFlac() throws Exception {
    Path f = dir.resolve("b.flac");
    Files.write(f, "ID3 not a flac file at all, but long enough to be read".getBytes());
    assertNull(ScanFloor.read(f, buf));
  }

  /** A comment block longer than the file stops the read with STREAMINFO's figures kept. */
  @Test
  void scanFloorStopsAtATruncatedBlock() throws Exception {
    byte[] whole = flac(44_100, 1, 24, 10, "TITLE=x");
    Path f = dir.resolve("c.flac");
    Files.write(f, java.util.Arrays.copyOf(whole, whole.length - 64 - 3)); // 3 bytes into the tag
    ScanFloor.Track t = ScanFloor.read(f, buf);
    assertEquals(44_100, t.rate());
    assertEquals(1, t.channels());
    assertEquals(Map.of(), t.tags());
  }

  /**
   * A picture larger than the whole buffer between STREAMINFO and the comments is stepped over
   * unread, and the comments past it are read where they lie; the buffer left dirty by the file
   * before changes nothing.
   */
  @Test
  void scanFloorStepsOverAPictureToTheCommentsBehindIt() throws Exception {
    Path other = dir.resolve("other.flac");
    Files.write(other, flac(96_000, 6, 24, 7, "ALBUM=first"));
    ScanFloor.read(other, buf);
    byte[] plain = flac(44_100, 2, 16, 1_000, "TITLE=after the picture");
    byte[] picture = new byte[200_000];
    java.util.Arrays.fill(picture, (byte) 0x5A);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 4 + 38); // "fLaC" and STREAMINFO (not last)
    out.writeBytes(ByteBuffer.allocate(4).putInt((6 << 24) | picture.length).array()); // PICTURE
    out.writeBytes(picture);
    out.write(plain, 42, plain.length - 42); // the comment block (last) and the frame's place
    Path f = dir.resolve("pictured.flac");
    Files.write(f, out.toByteArray());
    ScanFloor.Track t = ScanFloor.read(f, buf);
    assertEquals(44_100, t.rate());
    assertEquals(1_000, t.samples());
    assertEquals(Map.of("TITLE", "after the picture"), t.tags());
  }

  /** A vendor length past its block (a hostile file) ends the comments, not the scan. */
  @Test
  void scanFloorReadsNoCommentsPastAVendorLengthTooLong() throws Exception {
    byte[] b = flac(48_000, 2, 16, 5, "TITLE=x");
    int vendorAt = 4 + 38 + 4; // "fLaC", STREAMINFO, the comment block's header
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(vendorAt, Integer.MAX_VALUE);
    Path f = dir.resolve("hostile.flac");
    Files.write(f, b);
    ScanFloor.Track t = ScanFloor.read(f, buf);
    assertEquals(48_000, t.rate());
    assertEquals(Map.of(), t.tags());
  }

  @Test
  void serverOptionsRefuseWhatTheyCannotUse() {
    assertEquals(
        new FloorServer.Options("nio", 7191),
        FloorServer.Options.parse(
            new String[] {"--port", "7191", "--data-dir", "/tmp/x", "--kind", "nio"}));
    assertEquals(new FloorServer.Options("netty", 7190), FloorServer.Options.parse(new String[0]));
    for (String[] bad :
        new String[][] {
          {"--kind", "uring"}, {"--port", "x"}, {"--port", "0"}, {"--port", "70000"}, {"--kind"}
        }) {
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> FloorServer.Options.parse(bad));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("--"), e.getMessage());
    }
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
