package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.errors.DomainException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MusicFoldersTest {

  @TempDir Path root;

  @Test
  void acceptsRelativeAndAbsolutePathsInsideAFolder() throws Exception {
    Path music = Files.createDirectories(root.resolve("music/album"));
    Files.write(music.resolve("t.wav"), new byte[] {1});
    MusicFolders f = new MusicFolders(List.of(root.resolve("music")));
    assertEquals("album/t.wav", f.resolve("album/t.wav").relative());
    assertEquals(
        "album/t.wav", f.resolve(music.resolve("t.wav").toAbsolutePath().toString()).relative());
    assertEquals("album/t.wav", f.resolve("album/../album/t.wav").relative());
  }

  @Test
  void refusesWhatLiesOutsideEvenThroughASymlink() throws Exception {
    Path music = Files.createDirectories(root.resolve("music"));
    Path secret = Files.write(root.resolve("secret.wav"), new byte[] {1});
    Files.createSymbolicLink(music.resolve("link.wav"), secret);
    Files.createDirectories(music.resolve("dir"));
    MusicFolders f = new MusicFolders(List.of(music));
    assertEquals(Kind.FORBIDDEN, kind(f, "link.wav"));
    assertEquals(Kind.FORBIDDEN, kind(f, "../secret.wav"));
    assertEquals(Kind.FORBIDDEN, kind(f, secret.toString()));
    assertEquals(Kind.NOT_FOUND, kind(f, "missing.wav"));
    assertEquals(Kind.UNPROCESSABLE, kind(f, "dir"));
    assertEquals(Kind.INVALID, kind(f, ""));
  }

  private static Kind kind(MusicFolders f, String p) {
    return assertThrows(DomainException.class, () -> f.resolve(p)).kind();
  }
}
