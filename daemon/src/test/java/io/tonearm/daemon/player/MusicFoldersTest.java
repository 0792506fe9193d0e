package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tonearm.daemon.api.ApiException;
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
    assertEquals(403, status(f, "link.wav"));
    assertEquals(403, status(f, "../secret.wav"));
    assertEquals(403, status(f, secret.toString()));
    assertEquals(404, status(f, "missing.wav"));
    assertEquals(422, status(f, "dir"));
    assertEquals(400, status(f, ""));
  }

  private static int status(MusicFolders f, String p) {
    return assertThrows(ApiException.class, () -> f.resolve(p)).status();
  }
}
