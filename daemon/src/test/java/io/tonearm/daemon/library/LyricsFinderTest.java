package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.id3.ID3v24Frame;
import org.jaudiotagger.tag.id3.ID3v24Tag;
import org.jaudiotagger.tag.id3.framebody.FrameBodySYLT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LyricsFinderTest {

  @TempDir Path dir;

  static byte[] sylt(Object... textThenMs) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < textThenMs.length; i += 2) {
      b.writeBytes(((String) textThenMs[i]).getBytes(StandardCharsets.UTF_8));
      b.write(0);
      b.writeBytes(ByteBuffer.allocate(4).putInt((Integer) textThenMs[i + 1]).array());
    }
    return b.toByteArray();
  }

  @Test
  void syltEntriesBecomeLinesAndWords() {
    TimedLyrics l =
        LyricsFinder.syltLines((byte) 3, sylt("Hello", 1000, " world", 1500, "\nNext", 4000));
    assertEquals(2, l.lines().size());
    assertEquals(
        new TimedLyrics.Line(
            1000,
            "Hello world",
            List.of(new TimedLyrics.Word(1000, "Hello"), new TimedLyrics.Word(1500, "world"))),
        l.lines().get(0));
    assertEquals(4000, l.lines().get(1).startMs());
  }

  @Test
  void aSidecarWinsOverTheTags() throws Exception {
    Path mp3 = dir.resolve("song.mp3");
    Files.copy(
        io.tonearm.daemon.audio.GaplessJoint.fixture("1s_440Hz_44k1_stereo_cbr128.mp3"), mp3);
    Files.writeString(dir.resolve("song.lrc"), "[00:12.34]From the sidecar\n");
    TimedLyrics l = LyricsFinder.find(mp3);
    assertEquals("sidecar", l.source());
    assertEquals(12_340, l.lines().get(0).startMs());
  }

  @Test
  void anId3SyltFrameIsReadThroughJaudiotagger() throws Exception {
    Path mp3 = dir.resolve("song.mp3");
    Files.copy(
        io.tonearm.daemon.audio.GaplessJoint.fixture("1s_440Hz_44k1_stereo_cbr128.mp3"), mp3);
    AudioFile af = AudioFileIO.read(mp3.toFile());
    ID3v24Tag tag = new ID3v24Tag();
    ID3v24Frame frame = new ID3v24Frame("SYLT");
    frame.setBody(new FrameBodySYLT(3, "eng", 2, 1, "", sylt("Sung", 12_340, "\nlater", 20_000)));
    tag.setFrame(frame);
    af.setTag(tag);
    af.commit();
    TimedLyrics l = LyricsFinder.find(mp3);
    assertEquals("sylt", l.source());
    assertEquals(12_340, l.lines().get(0).startMs());
    assertEquals("later", l.lines().get(1).text());
  }

  @Test
  void noLyricsIsNone() throws Exception {
    Path mp3 = dir.resolve("song.mp3");
    Files.copy(
        io.tonearm.daemon.audio.GaplessJoint.fixture("1s_440Hz_44k1_stereo_cbr128.mp3"), mp3);
    assertFalse(LyricsFinder.find(mp3).timed());
    assertEquals(0, LyricsFinder.find(mp3).lines().size());
  }

  @Test
  void aFlacLyricsTagIsReadWithoutLookingForSylt() throws Exception {
    Path flac = dir.resolve("song.flac");
    Files.copy(
        io.tonearm.daemon.audio.GaplessJoint.fixture("1s_440Hz_44k1_stereo_16bit.flac"), flac);
    AudioFile af = AudioFileIO.read(flac.toFile());
    af.getTagOrCreateAndSetDefault()
        .setField(org.jaudiotagger.tag.FieldKey.LYRICS, "[00:01.50]First\n[00:03.00]Second");
    af.commit();
    assertEquals(null, LyricsFinder.sylt(flac)); // FLAC holds no ID3v2 tag: nothing parsed
    TimedLyrics l = LyricsFinder.find(flac);
    assertEquals("tag", l.source());
    assertEquals(1_500, l.lines().get(0).startMs());
    assertEquals("Second", l.lines().get(1).text());
  }
}
