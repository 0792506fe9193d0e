package io.tonearm.daemon.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Directory trees made of symbolic links, for walks. */
public final class LinkTrees {
  private LinkTrees() {}

  /**
   * Directories d0..d{levels} under {@code root}; each d{i} holds one audio file and two links, x
   * and y, to d{i+1}: 2^levels paths lead to the last level ("diamond"). Returns the real root.
   */
  public static Path diamond(Path root, int levels) throws Exception {
    Files.createDirectories(root);
    for (int i = 0; i <= levels; i++) {
      Path d = Files.createDirectories(root.resolve("d" + i));
      Files.write(d.resolve("t" + i + ".wav"), new byte[] {1});
      if (i > 0) {
        Path prev = root.resolve("d" + (i - 1));
        Files.createSymbolicLink(prev.resolve("x"), Path.of("../d" + i));
        Files.createSymbolicLink(prev.resolve("y"), Path.of("../d" + i));
      }
    }
    return root.toRealPath();
  }
}
