package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The own FLAC reader against jaudiotagger's reading of the same files: every field the library
 * stores equal, on plain files (which it must read itself) and on hostile ones (which it must leave
 * to jaudiotagger, so the error or the track is jaudiotagger's).
 */
class FlacTagsTest {
  @TempDir Path tmp;

  private static final byte[] PNG = {
    (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3
  };

  /** The committed fixture's STREAMINFO and audio frames, for building files around them. */
  private record Fixture(byte[] streamInfo, byte[] audio) {
    static Fixture load() throws IOException {
      byte[] d = TaggedFiles.fixtureBytes("1s_440Hz_44k1_mono.flac");
      int p = 4;
      byte[] si = null;
      while (true) {
        int h = d[p] & 0xff;
        int len = ((d[p + 1] & 0xff) << 16) | ((d[p + 2] & 0xff) << 8) | (d[p + 3] & 0xff);
        if ((h & 0x7f) == 0) {
          si = Arrays.copyOfRange(d, p + 4, p + 4 + len);
        }
        p += 4 + len;
        if ((h & 0x80) != 0) {
          break;
        }
      }
      return new Fixture(si, Arrays.copyOfRange(d, p, d.length));
    }
  }

  /** A metadata block: type and body. */
  private record Block(int type, byte[] body) {}

  private static Block comments(String vendor, String... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] v = vendor.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(le(v.length));
    out.writeBytes(v);
    out.writeBytes(le(fields.length));
    for (String f : fields) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(le(b.length));
      out.writeBytes(b);
    }
    return new Block(4, out.toByteArray());
  }

  private static Block picture(int type, String mime, String desc, byte[] image) {
    byte[] m = mime.getBytes(StandardCharsets.ISO_8859_1);
    byte[] d = desc.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(32 + m.length + d.length + image.length);
    b.putInt(type).putInt(m.length).put(m).putInt(d.length).put(d);
    b.putInt(1).putInt(1).putInt(24).putInt(0).putInt(image.length).put(image);
    return new Block(6, b.array());
  }

  private static byte[] le(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  private byte[] flac(Fixture fx, Block... blocks) {
    return flac(fx, 100, blocks);
  }

  private byte[] flac(Fixture fx, int padding, Block... blocks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("fLaC".getBytes(StandardCharsets.US_ASCII));
    List<Block> all = new ArrayList<>();
    all.add(new Block(0, fx.streamInfo()));
    all.addAll(List.of(blocks));
    all.add(new Block(1, new byte[padding])); // last
    for (int i = 0; i < all.size(); i++) {
      Block b = all.get(i);
      out.write((i == all.size() - 1 ? 0x80 : 0) | b.type());
      out.write(b.body().length >>> 16);
      out.write(b.body().length >>> 8);
      out.write(b.body().length);
      out.writeBytes(b.body());
    }
    out.writeBytes(fx.audio());
    return out.toByteArray();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(tmp.resolve(name + ".flac"), bytes);
  }

  /** What jaudiotagger's path gives: the track, or its error message. */
  private static Object viaJaudiotagger(Path file) {
    String name = file.getFileName().toString();
    try {
      return describe(JaudiotaggerTags.read(file, "flac", name.substring(0, name.length() - 5)));
    } catch (IOException e) {
      return "error: " + e.getMessage();
    }
  }

  /** What the library reads (the own reader first). */
  private static Object viaLibrary(Path file) {
    try {
      return describe(TagReader.read(file));
    } catch (IOException e) {
      return "error: " + e.getMessage();
    }
  }

  /**
   * The library's answer is jaudiotagger's track, or an error where jaudiotagger fails (the own
   * reader words some of those errors itself).
   */
  private static void assertSameAnswer(Path f, String what) {
    Object expected = viaJaudiotagger(f);
    Object actual = viaLibrary(f);
    if (expected.toString().startsWith("error: ")) {
      assertTrue(
          actual.toString().startsWith("error: unreadable flac file: "), what + ": " + actual);
    } else {
      assertEquals(expected, actual, what);
    }
  }

  /**
   * Every stored field as text, the picture as its bytes and type (records compare arrays by
   * identity).
   */
  private static String describe(TrackTags t) {
    TrackTags.Picture p = t.picture();
    return t.toString().replaceAll("picture=[^\\]]*\\]", "")
        + " picture="
        + (p == null ? "none" : Arrays.toString(p.data()) + " " + p.mimeType());
  }

  /** The plain files of the test, each read by the own reader (not left to jaudiotagger). */
  private List<Path> plainFiles(Fixture fx) throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(write("no-comments", flac(fx)));
    files.add(
        write(
            "fallback",
            flac(
                fx,
                comments(
                    "reference libFLAC",
                    "title=Ünïcödé – ☃ 𝄞",
                    "Artist=Ada",
                    "ARTIST=second artist is not read",
                    "ALBUM=Album",
                    "ALBUM ARTIST=JRiver's album artist",
                    "TRACKNUMBER=3/12",
                    "TOTALTRACKS=14",
                    "DISCNUMBER= 2 ",
                    "DISCTOTAL=3",
                    "DATE=2004-05-01",
                    "GENRE=\u0000Jazz\uFEFF",
                    "MUSICBRAINZ_TRACKID=a",
                    "MUSICBRAINZ_RELEASETRACKID=b",
                    "MUSICBRAINZ_ALBUMID=c",
                    "MUSICBRAINZ_ARTISTID=d",
                    "MUSICBRAINZ_ALBUMARTISTID=e",
                    "LYRICS=line one\nline two",
                    "REPLAYGAIN_TRACK_GAIN=-6.52 dB",
                    "REPLAYGAIN_TRACK_PEAK=0.988547",
                    "REPLAYGAIN_ALBUM_GAIN=+1.5 dB",
                    "R128_TRACK_GAIN=-512",
                    "R128_ALBUM_GAIN=256",
                    "MIXRAMP_START=0.1 1.0",
                    "no equals sign",
                    "=empty name",
                    "COMMENT=x=y"),
                picture(3, "image/png", "front", PNG),
                picture(4, "image/jpeg", "back", new byte[] {1, 2, 3}))));
    files.add(
        write(
            "album-artist",
            flac(
                fx,
                comments("", "ALBUMARTIST=", "ALBUM ARTIST=jriver", "TRACKTOTAL=9", "YEAR=1999"),
                picture(0, "-->", "", "http://example.org/a.png".getBytes(StandardCharsets.UTF_8)),
                picture(3, "image/png", "", PNG))));
    files.add(
        write(
            "odd-utf8",
            flac(
                fx,
                new Block(
                    4,
                    concat(
                        le(0),
                        le(3),
                        le(8),
                        new byte[] {'T', 'I', 'T', (byte) 0xc3, 'L', 'E', '=', 'x'},
                        le(9),
                        new byte[] {'A', 'R', 'T', 'I', 'S', 'T', '=', (byte) 0xe2, (byte) 0x82},
                        le(10),
                        new byte[] {'a', 'l', 'b', 'u', 'm', '=', (byte) 0xff, 'o', 'k', '!'})))));
    files.add(
        write(
            "comment-too-long",
            flac(fx, new Block(4, concat(le(0), le(2), le(7), "TITLE=t".getBytes(), le(99))))));
    files.add(write("empty-image", flac(fx, picture(3, "image/png", "", new byte[0]))));
    return files;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void plainFilesAreReadWithoutJaudiotaggerAndGiveItsTrack() throws Exception {
    Fixture fx = Fixture.load();
    for (Path f : plainFiles(fx)) {
      assertNotNull(FlacTags.read(f, "fallback"), f + " was left to jaudiotagger");
      assertEquals(viaJaudiotagger(f), viaLibrary(f), f.toString());
    }
  }

  @Test
  void filesTaggedByJaudiotaggerGiveItsTrack() throws Exception {
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png",
        png);
    TaggedFiles.Tags tags =
        TaggedFiles.Tags.of("Title ü", "Artist", "Album")
            .track("7")
            .genre("Rock")
            .gain("-3.10 dB", "0.5")
            .picture(png.toByteArray());
    Path f = TaggedFiles.copy("1s_440Hz_44k1_mono.flac", tmp.resolve("tagged.flac"));
    TaggedFiles.tag(f, tags, false);
    assertNotNull(FlacTags.read(f, "tagged"));
    assertEquals(viaJaudiotagger(f), viaLibrary(f));
    assertArrayEquals(png.toByteArray(), TagReader.read(f).picture().data());
  }

  @Test
  void knownAnswers() throws Exception {
    Fixture fx = Fixture.load();
    List<Path> files = plainFiles(fx);
    TrackTags t = FlacTags.read(files.get(1), "fallback");
    assertEquals("Ünïcödé – ☃ 𝄞", t.title());
    assertEquals("Ada", t.artist());
    assertEquals("JRiver's album artist", t.albumArtist());
    assertEquals(3, t.trackNumber());
    assertEquals(0, t.trackTotal(), "jaudiotagger reads TRACKTOTAL only");
    assertEquals(2, t.discNumber());
    assertEquals(2004, t.year());
    assertEquals("Jazz", t.genre());
    assertEquals(-6.52, t.trackGainDb());
    assertEquals(1.5, t.albumGainDb());
    assertEquals("line one\nline two", t.lyrics());
    assertEquals(44_100, t.sampleRate());
    assertEquals(1, t.channels());
    assertEquals(1000, t.durationMs());
    assertEquals("flac", t.codec());
    assertEquals(16, t.bitsPerSample(), "STREAMINFO's bits per sample");
    assertEquals("2004-05-01", t.date(), "as written; year 2004");
    assertArrayEquals(PNG, t.picture().data());
    assertEquals("image/png", t.picture().mimeType());
    TrackTags linked = FlacTags.read(files.get(2), "fallback");
    assertEquals("jriver", linked.albumArtist());
    assertNull(linked.picture(), "the first picture is a link: jaudiotagger gives no image");
    assertEquals("fallback", FlacTags.read(files.get(0), "fallback").title());
    TrackTags odd = FlacTags.read(files.get(3), "fallback");
    assertEquals("\uFFFD", odd.artist(), "a cut UTF-8 sequence, as jaudiotagger decodes it");
  }

  @Test
  void filesItDoesNotReadPlainlyAreLeftToJaudiotagger() throws Exception {
    Fixture fx = Fixture.load();
    byte[] plain = flac(fx, comments("", "TITLE=t"));
    byte[] id3 = concat(new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 10}, new byte[10], plain);
    assertNull(FlacTags.read(write("id3", id3), "x"));
    assertNull(FlacTags.read(write("two-comments", flac(fx, comments(""), comments(""))), "x"));
    assertNull(FlacTags.read(write("tiny", Arrays.copyOf(plain, 100)), "x"));
    assertNull(FlacTags.read(tmp.resolve("missing.flac"), "x"));
    byte[] badType = plain.clone();
    badType[4 + 4 + 34] = 9; // the comment block's type
    assertNull(FlacTags.read(write("bad-type", badType), "x"));
  }

  /**
   * Lengths past the block's end, where jaudiotagger fails the file after allocating what they
   * claim: the own reader's error, without the allocation.
   */
  @Test
  void blocksWhoseLengthsPointPastTheirEndAreAnError() throws Exception {
    Fixture fx = Fixture.load();
    Block countShort = new Block(4, concat(le(0), le(5), le(7), "TITLE=t".getBytes()));
    Path f = write("comment-count-short", flac(fx, countShort));
    IOException e = assertThrows(IOException.class, () -> FlacTags.read(f, "x"));
    assertEquals("unreadable flac file: malformed VORBIS_COMMENT block", e.getMessage());
    assertTrue(viaJaudiotagger(f).toString().startsWith("error: "));
    Block vendor2GiB = new Block(4, concat(le(0x7fff_fff0), le(0)));
    Path v = write("vendor", flac(fx, vendor2GiB));
    assertThrows(IOException.class, () -> FlacTags.read(v, "x"));
    byte[] pic = picture(3, "image/png", "", PNG).body();
    ByteBuffer.wrap(pic).putInt(8 + 9, 0x6000_0000); // the description claims 1.5 GiB
    Path p = write("picture", flac(fx, new Block(6, pic)));
    e = assertThrows(IOException.class, () -> FlacTags.read(p, "x"));
    assertEquals("unreadable flac file: malformed PICTURE block", e.getMessage());
  }

  /**
   * A 22 KB file whose picture description claims 1.5 GiB, scanned by a daemon-sized JVM that exits
   * on OutOfMemoryError: the file is counted as an error and the scan finishes. (Before the own
   * reader, jaudiotagger allocated the claimed size and the process ended.)
   */
  @Test
  void aScanOfAFileClaimingGigabytesFinishesInASmallHeap() throws Exception {
    Fixture fx = Fixture.load();
    Path music = Files.createDirectories(tmp.resolve("music"));
    byte[] pic = picture(3, "image/png", "", PNG).body();
    ByteBuffer.wrap(pic).putInt(8 + 9, 0x6000_0000);
    Files.write(music.resolve("evil.flac"), flac(fx, new Block(6, pic)));
    Files.write(music.resolve("good.flac"), flac(fx, comments("", "TITLE=good")));
    Path data = tmp.resolve("data");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                ScanChild.class.getName(),
                data.toString(),
                music.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child.log").toFile())
            .start();
    assertTrue(child.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
    String log = Files.readString(tmp.resolve("child.log"));
    assertEquals(0, child.exitValue(), log);
    assertTrue(log.contains("finished"), log);
    assertEquals(1, LibraryDbTest.scalar(data, "SELECT count(*) FROM tracks"));
  }

  /**
   * Every truncation of the metadata and every byte of it set to a few hostile values: the
   * library's answer (track or error message) is jaudiotagger's, and nothing else is touched.
   */
  @Test
  void aFileShorterThanItsSizeSaidIsNotReadFromTheLastFilesBytes() throws Exception {
    // The reader keeps one head buffer per thread. A file that shrinks between its size and its
    // read leaves the last (longer) file's bytes in that buffer past its own; the size checks
    // cannot see it (they trust the size), only the count of bytes actually read can.
    Fixture fx = Fixture.load();
    byte[] good =
        flac(fx, 4, comments("v", "TITLE=t", "ARTIST=a", "TRACKNUMBER=1"), picture(3, "", "", PNG));
    Path whole = write("whole", good);
    TrackTags before = FlacTags.read(whole, "fallback");
    assertNotNull(before);
    assertEquals("t", before.title());
    for (int held : new int[] {8, 42, 56}) { // a block header, the next one, inside the comments
      // The same file's first bytes, its channel still reporting the whole length.
      Path cut = write("cut", Arrays.copyOf(good, held));
      try (FileChannel ch = new Shrunk(FileChannel.open(cut), good.length)) {
        IOException e =
            assertThrows(IOException.class, () -> FlacTags.read(ch, "fallback"), "cut at " + held);
        assertTrue(e.getMessage().contains("shrank"), e.getMessage());
      }
      assertEquals(describe(before), describe(FlacTags.read(whole, "fallback")));
    }
  }

  /** A file read while it shrinks: {@link #size} is what it held when it was opened. */
  private static final class Shrunk extends FileChannel {
    private final FileChannel in;
    private final long size;

    Shrunk(FileChannel in, long size) {
      this.in = in;
      this.size = size;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return in.read(dst, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return in.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return in.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src, long position) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() throws IOException {
      return in.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      in.position(newPosition);
      return this;
    }

    @Override
    public FileChannel truncate(long newSize) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void force(boolean metaData) {}

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
      throw new UnsupportedOperationException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected void implCloseChannel() throws IOException {
      in.close();
    }
  }

  @Test
  void hostileAndTruncatedFilesGetJaudiotaggersAnswer() throws Exception {
    Fixture fx = Fixture.load();
    byte[] good =
        flac(
            fx,
            4,
            comments("v", "TITLE=t", "ARTIST=a", "TRACKNUMBER=1"),
            picture(3, "", "", PNG)); // no strings a mutated length could read as 1 GiB
    int metadataEnd = good.length - fx.audio().length;
    int checked = 0;
    for (int cut = 0; cut <= metadataEnd + 4; cut++) {
      assertSameAnswer(write("cut", Arrays.copyOf(good, cut)), "cut at " + cut);
      checked++;
    }
    byte[] values = {0, (byte) 0xff, (byte) 0x80};
    for (int at = 0; at < metadataEnd; at++) {
      for (byte v : values) {
        byte[] bad = good.clone();
        bad[at] = v;
        assertSameAnswer(write("bad", bad), "byte " + at + " = " + v);
        checked++;
      }
    }
    Random r = new Random(13);
    for (int i = 0; i < 100; i++) {
      byte[] bad = good.clone();
      for (int k = 0; k < 3; k++) {
        bad[r.nextInt(metadataEnd)] = (byte) r.nextInt(256);
      }
      assertSameAnswer(write("random", bad), "random case " + i);
      checked++;
    }
    assertTrue(checked > 500);
  }
}
