package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.demo.DemoLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo library's files carry tags the scan reads, and decode to their samples only. */
class DemoLibraryTagsTest {

  private static final List<String> TITLES =
      List.of("A Minor Arpeggios", "Slow Fifths", "Bright Major", "Low Drone");

  @TempDir Path tmp;

  @Test
  void everyPieceIsTaggedWithTitleArtistAlbumTrackYearAndGenre() throws Exception {
    List<Path> files = DemoLibrary.files(DemoLibrary.ensure(tmp));
    assertEquals(4, files.size());
    for (int i = 0; i < files.size(); i++) {
      TrackTags t = TagReader.read(files.get(i));
      assertEquals(TITLES.get(i), t.title());
      assertEquals("Tonearm", t.artist());
      assertEquals("Tonearm Demo", t.album());
      assertEquals(i + 1, t.trackNumber());
      assertEquals(2026, t.year());
      assertEquals("Ambient", t.genre());
      assertEquals(20_000, t.durationMs());
      assertEquals(44_100, t.sampleRate());
      assertEquals(2, t.channels());
    }
  }

  @Test
  void theInfoChunkAfterTheSamplesIsNotPlayed() throws Exception {
    Path first = DemoLibrary.files(DemoLibrary.ensure(tmp)).get(0);
    long frames = 0;
    float[] buf = new float[2 * 4096];
    try (Decoder d = Decoders.open(first)) {
      for (int n; (n = d.read(buf, 0, 4096)) > 0; ) {
        frames += n;
      }
    }
    assertEquals(44_100L * 20, frames);
  }

  @Test
  void anUntaggedFileOfAnEarlierVersionIsWrittenAgain() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("demo-music"));
    Path old = folder.resolve("02 - Tonearm Demo - Slow Fifths.wav");
    byte[] untagged = new byte[44 + 44_100 * 20 * 4]; // the size the files had without tags
    Files.write(old, untagged);
    DemoLibrary.ensure(tmp);
    assertEquals("Slow Fifths", TagReader.read(old).title());
    assertEquals(2, TagReader.read(old).trackNumber());
  }
}
