package io.tonearm.daemon.library;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Walks one music folder: every audio file by real path, cover images by directory, and the
 * directories it could not read. Follows symbolic links only while their targets stay inside the
 * folder (so nothing outside a music folder is ever read); loops are detected by the JDK's walker.
 */
final class FolderWalk {
  /** Deepest directory nesting walked. */
  static final int MAX_DEPTH = 64;

  /** An audio file found. */
  record Candidate(Path real, String relPath, long size, long mtimeMs) {}

  /** A path that could not be walked, and why. */
  record Problem(String relPath, String error) {}

  final List<Candidate> files = new ArrayList<>();
  final Map<Path, Path> coverByDir = new HashMap<>();
  final List<Problem> problems = new ArrayList<>();
  final Set<Path> dirs = new HashSet<>();
  private final Set<Path> seen = new HashSet<>();
  private final Path root;

  private FolderWalk(Path root) {
    this.root = root;
  }

  /**
   * Walks {@code realRoot} (already a real path). {@code cancelled} is polled per directory.
   *
   * @throws IOException only when the root itself cannot be read
   */
  static FolderWalk walk(Path realRoot, BooleanSupplier cancelled) throws IOException {
    FolderWalk w = new FolderWalk(realRoot);
    Files.walkFileTree(
        realRoot, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH, w.visitor(cancelled));
    return w;
  }

  private SimpleFileVisitor<Path> visitor(BooleanSupplier cancelled) {
    return new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        if (cancelled.getAsBoolean()) {
          return FileVisitResult.TERMINATE;
        }
        Path real = dir.toRealPath();
        if (!real.startsWith(root)) {
          problems.add(new Problem(rel(dir), "link leads outside the music folder; skipped"));
          return FileVisitResult.SKIP_SUBTREE;
        }
        if (!dirs.add(real)) {
          return FileVisitResult.SKIP_SUBTREE; // the same directory reached through a link
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (!attrs.isRegularFile()) {
          return FileVisitResult.CONTINUE;
        }
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean audio = TagReader.EXTENSIONS.contains(TagReader.extension(lower));
        boolean cover = isCover(lower);
        if (!audio && !cover) {
          return FileVisitResult.CONTINUE;
        }
        Path real;
        try {
          real = file.toRealPath();
        } catch (NoSuchFileException e) {
          return FileVisitResult.CONTINUE; // vanished while walking
        }
        if (!real.startsWith(root)) {
          problems.add(new Problem(rel(file), "link leads outside the music folder; skipped"));
          return FileVisitResult.CONTINUE;
        }
        if (cover) {
          coverByDir.merge(real.getParent(), real, (a, b) -> coverRank(a) <= coverRank(b) ? a : b);
        } else if (seen.add(real)) {
          files.add(
              new Candidate(
                  real,
                  root.relativize(real).toString(),
                  attrs.size(),
                  attrs.lastModifiedTime().toMillis()));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // removed while walking: it is simply gone
        }
        String why =
            e instanceof FileSystemLoopException
                ? "symbolic link loop; skipped"
                : e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e);
        problems.add(new Problem(rel(file), why));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) {
        if (e != null && !(e instanceof NoSuchFileException)) {
          problems.add(new Problem(rel(dir), "directory not fully read: " + e.getMessage()));
        }
        return FileVisitResult.CONTINUE;
      }
    };
  }

  private String rel(Path p) {
    return p.startsWith(root) ? root.relativize(p).toString() : p.getFileName().toString();
  }

  private static final List<String> COVER_NAMES = List.of("cover", "folder", "front", "album");

  static boolean isCover(String lowerName) {
    int dot = lowerName.lastIndexOf('.');
    if (dot < 0) {
      return false;
    }
    String ext = lowerName.substring(dot + 1);
    return (ext.equals("jpg") || ext.equals("jpeg") || ext.equals("png"))
        && COVER_NAMES.contains(lowerName.substring(0, dot));
  }

  private static int coverRank(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return COVER_NAMES.indexOf(n.substring(0, n.lastIndexOf('.')));
  }
}
