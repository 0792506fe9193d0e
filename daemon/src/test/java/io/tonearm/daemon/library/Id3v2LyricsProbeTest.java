package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.jaudiotagger.tag.id3.ID3v23Tag;
import org.jaudiotagger.tag.id3.ID3v24Tag;
import org.jaudiotagger.tag.images.ArtworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Id3v2LyricsProbeTest {

  @TempDir Path dir;

  /** An ID3v2 tag of {@code version} with {@code flags} and the frames, then "audio" bytes. */
  private Path file(int version, int flags, byte[]... frames) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      body.writeBytes(f);
    }
    body.writeBytes(new byte[64]); // padding
    int n = body.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'I', 'D', '3', (byte) version, 0, (byte) flags});
    out.writeBytes(syncsafe(n));
    out.writeBytes(body.toByteArray());
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64});
    Path p = dir.resolve("t" + System.nanoTime() + ".mp3");
    Files.write(p, out.toByteArray());
    return p;
  }

  private static byte[] syncsafe(int n) {
    return new byte[] {
      (byte) (n >>> 21 & 0x7F), (byte) (n >>> 14 & 0x7F), (byte) (n >>> 7 & 0x7F), (byte) (n & 0x7F)
    };
  }

  /** An ID3v2.3 (plain size) or ID3v2.4 (syncsafe size) frame. */
  private static byte[] frame(int version, String id, int size) {
    ByteBuffer b = ByteBuffer.allocate(10 + size);
    b.put(id.getBytes(StandardCharsets.ISO_8859_1));
    b.put(version == 4 ? syncsafe(size) : ByteBuffer.allocate(4).putInt(size).array());
    return b.array();
  }

  private static byte[] frame22(String id, int size) {
    ByteBuffer b = ByteBuffer.allocate(6 + size);
    b.put(id.getBytes(StandardCharsets.ISO_8859_1));
    b.put(new byte[] {(byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
    return b.array();
  }

  @Test
  void framesWithoutLyricsAreSurelyNone() throws Exception {
    for (int v : new int[] {3, 4}) {
      // 300 KB of picture: one header read, the body is skipped.
      Path p = file(v, 0, frame(v, "TIT2", 9), frame(v, "APIC", 300_000), frame(v, "TPE1", 5));
      assertFalse(Id3v2LyricsProbe.mayHoldLyrics(p), "v2." + v);
    }
    assertFalse(Id3v2LyricsProbe.mayHoldLyrics(file(2, 0, frame22("TT2", 9), frame22("PIC", 500))));
  }

  @Test
  void aLyricsFrameAnywhereInTheTagIsMaybe() throws Exception {
    for (int v : new int[] {3, 4}) {
      for (String id : new String[] {"USLT", "SYLT"}) {
        Path p = file(v, 0, frame(v, "TIT2", 9), frame(v, "APIC", 3000), frame(v, id, 40));
        assertTrue(Id3v2LyricsProbe.mayHoldLyrics(p), "v2." + v + " " + id);
      }
    }
    assertTrue(Id3v2LyricsProbe.mayHoldLyrics(file(2, 0, frame22("TT2", 9), frame22("ULT", 20))));
    assertTrue(Id3v2LyricsProbe.mayHoldLyrics(file(2, 0, frame22("SLT", 20))));
  }

  @Test
  void whatTheWalkCannotBeSureOfIsMaybe() throws Exception {
    // Tag-wide unsynchronisation and an extended header: not walked.
    assertTrue(Id3v2LyricsProbe.mayHoldLyrics(file(3, 0x80, frame(3, "TIT2", 9))));
    assertTrue(Id3v2LyricsProbe.mayHoldLyrics(file(4, 0x40, frame(4, "TIT2", 9))));
    // An ID3v2.4 frame with a plain 32-bit size past 127 (iTunes): not syncsafe.
    byte[] itunes = frame(3, "TIT2", 200);
    assertTrue(Id3v2LyricsProbe.mayHoldLyrics(file(4, 0, itunes)));
    // A frame size running past the tag, and a header of non-frame-id bytes.
    assertTrue(
        Id3v2LyricsProbe.mayHoldLyrics(
            file(3, 0, frame(3, "TIT2", 9), new byte[] {'T', 'I', 'T', '2', 0, 1, 0, 0, 0, 0})));
    assertTrue(
        Id3v2LyricsProbe.mayHoldLyrics(
            file(3, 0, new byte[] {'t', 'i', 't', '2', 0, 0, 0, 1, 0, 0, 0})));
  }

  @Test
  void noId3v2TagAtTheStartIsNone() throws Exception {
    Path mp3 = dir.resolve("plain.mp3");
    Files.copy(
        io.tonearm.daemon.audio.GaplessJoint.fixture("1s_440Hz_44k1_stereo_cbr128.mp3"), mp3);
    assertEquals((byte) 0xFF, Files.readAllBytes(mp3)[0], "the fixture starts with a frame");
    assertFalse(Id3v2LyricsProbe.mayHoldLyrics(mp3));
  }

  @Test
  void tagsWrittenByJaudiotaggerAreWalked() throws Exception {
    for (AbstractID3v2Tag tag : new AbstractID3v2Tag[] {new ID3v23Tag(), new ID3v24Tag()}) {
      Path mp3 = dir.resolve("j" + System.nanoTime() + ".mp3");
      Files.copy(
          io.tonearm.daemon.audio.GaplessJoint.fixture("1s_440Hz_44k1_stereo_cbr128.mp3"), mp3);
      AudioFile af = AudioFileIO.read(mp3.toFile());
      tag.setField(FieldKey.TITLE, "A title");
      tag.setField(FieldKey.ARTIST, "Somebody");
      Path jpeg = dir.resolve("cover.jpg");
      Files.write(jpeg, new byte[200_000]);
      tag.setField(ArtworkFactory.createArtworkFromFile(jpeg.toFile()));
      af.setTag(tag);
      af.commit();
      assertFalse(Id3v2LyricsProbe.mayHoldLyrics(mp3), tag.getClass().getSimpleName());
      assertEquals(0, LyricsFinder.find(mp3).lines().size());

      af = AudioFileIO.read(mp3.toFile());
      af.getTag().setField(FieldKey.LYRICS, "First line\nSecond line");
      af.commit();
      assertTrue(Id3v2LyricsProbe.mayHoldLyrics(mp3), tag.getClass().getSimpleName());
      TimedLyrics l = LyricsFinder.find(mp3);
      assertEquals("tag", l.source());
      assertEquals("Second line", l.lines().get(1).text());
    }
  }
}
