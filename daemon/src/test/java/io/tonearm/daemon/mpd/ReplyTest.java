package io.tonearm.daemon.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyTest {

  @Test
  void rawLinesAreKeptByReferenceBetweenTheLinesAroundThem() {
    byte[] song = "file: a.flac\nTitle: A\n".getBytes(StandardCharsets.UTF_8);
    Reply r = new Reply().field("directory", "x").raw(song).raw(song).line("OK");
    assertEquals(4, r.chunks().size());
    assertSame(song, r.chunks().get(1));
    assertSame(song, r.chunks().get(2));
    String all = "directory: x\nfile: a.flac\nTitle: A\nfile: a.flac\nTitle: A\nOK\n";
    assertEquals(all, new String(r.bytes(), StandardCharsets.UTF_8));
    assertEquals(all.length(), r.size());
    r.reset();
    assertEquals(0, r.size());
    assertEquals(0, r.chunks().size());
  }

  @Test
  void fieldsWithoutRawLinesAreOneChunk() {
    Reply r = new Reply().field("volume", 40).field("state", "multi\nline");
    assertEquals(1, r.chunks().size());
    assertEquals("volume: 40\nstate: multi line\n", new String(r.bytes(), StandardCharsets.UTF_8));
  }
}
