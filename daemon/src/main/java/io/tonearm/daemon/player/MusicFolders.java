package io.tonearm.daemon.player;

import io.tonearm.daemon.errors.DomainException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The folders whose files may be queued: the fixed folders given at construction and the library's
 * folders as they are now (a folder added at run time, or kept in the library from an earlier run,
 * is a music folder at once). A queued path is resolved to a real path (symlinks followed) and
 * accepted only when that lies inside one of the folders; nothing outside them is ever opened.
 * Thread-safe.
 */
public final class MusicFolders {

  /** A file inside a music folder. */
  public record Resolved(Path file, String relative) {}

  private final List<Path> fixed;
  private final Supplier<List<Path>> library;

  /**
   * @param folders existing directories; each is resolved to its real path
   * @throws IOException when a folder does not exist
   */
  public MusicFolders(List<Path> folders) throws IOException {
    this(folders, List::of);
  }

  /**
   * @param folders existing directories; each is resolved to its real path
   * @param library the library's folders (real paths), asked on every resolve; must be cheap and
   *     thread-safe
   * @throws IOException when a folder does not exist
   */
  public MusicFolders(List<Path> folders, Supplier<List<Path>> library) throws IOException {
    List<Path> r = new ArrayList<>();
    for (Path f : folders) {
      r.add(f.toRealPath());
    }
    this.fixed = List.copyOf(r);
    this.library = library;
  }

  /** The folders now: the fixed ones, then the library's that are not among them. */
  public List<Path> roots() {
    List<Path> lib = library.get();
    if (lib.isEmpty()) {
      return fixed;
    }
    List<Path> all = new ArrayList<>(fixed);
    for (Path p : lib) {
      if (!all.contains(p)) {
        all.add(p);
      }
    }
    return all;
  }

  /**
   * Resolves a path relative to a music folder (tried in order) or absolute inside one.
   *
   * @throws DomainException 400 for a malformed path, 403 for one outside every music folder, 404
   *     for one that does not exist, 422 for one that is not a regular file
   */
  public Resolved resolve(String path) {
    if (path == null || path.isBlank() || path.indexOf('\0') >= 0) {
      throw DomainException.badRequest("empty or malformed path");
    }
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException e) {
      throw DomainException.badRequest("malformed path: " + e.getMessage());
    }
    List<Path> roots = roots();
    List<Path> candidates = new ArrayList<>();
    if (p.isAbsolute()) {
      candidates.add(p.normalize());
    } else {
      for (Path root : roots) {
        candidates.add(root.resolve(p).normalize());
      }
    }
    boolean inside = false;
    for (Path c : candidates) {
      if (rootOf(roots, c) == null) {
        continue;
      }
      inside = true;
      if (!Files.exists(c)) {
        continue;
      }
      Path real;
      try {
        real = c.toRealPath();
      } catch (IOException e) {
        continue;
      }
      Path root = rootOf(roots, real);
      if (root == null) {
        throw outside(path);
      }
      if (!Files.isRegularFile(real) && !isStemFolder(real)) {
        throw new DomainException(
            DomainException.Kind.UNPROCESSABLE,
            "not_a_file",
            "not a regular file or a stem folder (*.stems): " + path,
            Map.of("path", path));
      }
      return new Resolved(real, root.relativize(real).toString());
    }
    if (!inside) {
      throw outside(path);
    }
    throw new DomainException(
        DomainException.Kind.NOT_FOUND,
        "not_found",
        "file not found: " + path,
        Map.of("path", path));
  }

  /** A directory named {@code *.stems}: a stem set, played as one item. */
  private static boolean isStemFolder(Path real) {
    String n = String.valueOf(real.getFileName()).toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".stems") && Files.isDirectory(real);
  }

  /** The music folder holding {@code real}, or null. */
  public Path rootOf(Path real) {
    return rootOf(roots(), real);
  }

  private static Path rootOf(List<Path> roots, Path real) {
    for (Path root : roots) {
      if (real.startsWith(root)) {
        return root;
      }
    }
    return null;
  }

  private static DomainException outside(String path) {
    return new DomainException(
        DomainException.Kind.FORBIDDEN,
        "outside_music_folders",
        "not inside a music folder: " + path,
        Map.of("path", path));
  }
}
