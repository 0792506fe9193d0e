package io.tonearm.daemon.library;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Walks one music folder: every audio file by real path, cover images by directory, and what could
 * not be walked. Follows symbolic links only while their targets stay inside the folder (so nothing
 * outside a music folder is ever read).
 *
 * <p>Each real directory is walked once, known by its file key (device and inode), however many
 * links lead to it: a tree of links two per level to the next ("diamond") costs one visit per
 * directory, not one per path. The walk is bounded: {@value #MAX_DEPTH} levels, {@value
 * #MAX_DIRECTORIES} directories and {@value #MAX_ENTRIES} directory entries per walk; past a bound
 * it stops, reports it, and is not {@link #complete} (so nothing is removed from the library on its
 * account). {@code cancelled} is polled per entry. Problems reported (in the library's errors):
 * unreadable directories, links leading outside, symbolic link loops, dangling links, directories
 * named like audio files, levels past the depth bound.
 */
final class FolderWalk {
  /** Deepest directory nesting walked. */
  static final int MAX_DEPTH = 64;

  /** Real directories walked per folder, at most. */
  static final int MAX_DIRECTORIES = 65_536;

  /** Directory entries looked at per folder, at most. */
  static final int MAX_ENTRIES = 1_048_576;

  /** An audio file found. */
  record Candidate(Path real, String relPath, long size, long mtimeMs) {}

  /** A path that could not be walked, and why. */
  record Problem(String relPath, String error) {}

  final List<Candidate> files = new ArrayList<>();
  final Map<Path, Path> coverByDir = new HashMap<>();
  final List<Problem> problems = new ArrayList<>();

  /** The real directories walked, the start included. */
  final Set<Path> dirs = new LinkedHashSet<>();

  /** Entries looked at. */
  long entries;

  /** False when the walk stopped early: cancelled, or a bound reached. */
  boolean complete = true;

  private final Set<Path> seenFiles = new HashSet<>();
  private final Set<Object> seenDirs = new HashSet<>();
  private final Path root;
  private final int maxDirectories;
  private final long maxEntries;

  /** A directory to walk, reached at {@code path}, with its ancestors' keys for loop checks. */
  private record Dir(Path path, Path real, Object key, int depth, Dir parent) {
    boolean hasAncestor(Object k) {
      for (Dir d = this; d != null; d = d.parent) {
        if (d.key.equals(k)) {
          return true;
        }
      }
      return false;
    }
  }

  private FolderWalk(Path root, int maxDirectories, long maxEntries) {
    this.root = root;
    this.maxDirectories = maxDirectories;
    this.maxEntries = maxEntries;
  }

  /**
   * Walks {@code realRoot} (already a real path).
   *
   * @throws IOException only when the root itself cannot be read
   */
  static FolderWalk walk(Path realRoot, BooleanSupplier cancelled) throws IOException {
    return walk(realRoot, realRoot, cancelled, MAX_DIRECTORIES, MAX_ENTRIES);
  }

  /**
   * Walks the directory {@code start} (a real path inside {@code realRoot}) with these bounds.
   *
   * @throws IOException only when {@code start} itself cannot be read
   */
  static FolderWalk walk(
      Path realRoot, Path start, BooleanSupplier cancelled, int maxDirectories, long maxEntries)
      throws IOException {
    FolderWalk w = new FolderWalk(realRoot, maxDirectories, maxEntries);
    BasicFileAttributes a = Files.readAttributes(start, BasicFileAttributes.class);
    if (!a.isDirectory()) {
      throw new IOException("not a directory: " + start);
    }
    Object key = a.fileKey() != null ? a.fileKey() : start;
    w.seenDirs.add(key);
    w.dirs.add(start);
    try (DirectoryStream<Path> probe = Files.newDirectoryStream(start)) {
      // the root must be readable: a folder we cannot list is unavailable, not empty
    }
    int depth = realRoot.equals(start) ? 0 : realRoot.relativize(start).getNameCount();
    w.run(new Dir(start, start, key, depth, null), cancelled);
    return w;
  }

  private void run(Dir first, BooleanSupplier cancelled) {
    Deque<Dir> stack = new ArrayDeque<>();
    stack.push(first);
    while (!stack.isEmpty()) {
      Dir dir = stack.pop();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.path())) {
        for (Path entry : ds) {
          if (cancelled.getAsBoolean()) {
            complete = false;
            return;
          }
          if (++entries > maxEntries) {
            stop(dir, "walk stopped: more than " + maxEntries + " directory entries");
            return;
          }
          Dir next = visit(dir, entry);
          if (next != null) {
            if (dirs.size() >= maxDirectories) {
              stop(dir, "walk stopped: more than " + maxDirectories + " directories");
              return;
            }
            dirs.add(next.real());
            stack.push(next);
          }
        }
      } catch (NoSuchFileException e) {
        // removed while walking: it is simply gone
      } catch (AccessDeniedException e) {
        problems.add(new Problem(rel(dir.real()), "permission denied"));
      } catch (IOException | java.nio.file.DirectoryIteratorException e) {
        problems.add(new Problem(rel(dir.real()), "directory not fully read: " + e.getMessage()));
      }
    }
  }

  private void stop(Dir at, String why) {
    complete = false;
    problems.add(new Problem(rel(at.real()), why));
  }

  /** Looks at one entry; returns the directory to walk next, if it is one not yet walked. */
  private Dir visit(Dir parent, Path entry) throws IOException {
    String name = entry.getFileName().toString();
    Path relPath = parent.real().resolve(name);
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null; // vanished while walking
    }
    Path real = relPath;
    if (a.isSymbolicLink()) {
      try {
        a = Files.readAttributes(entry, BasicFileAttributes.class);
        real = entry.toRealPath();
      } catch (NoSuchFileException e) {
        problems.add(new Problem(rel(relPath), "dangling symbolic link; skipped"));
        return null;
      } catch (FileSystemLoopException e) {
        problems.add(new Problem(rel(relPath), "symbolic link loop; skipped"));
        return null;
      } catch (FileSystemException e) {
        // ELOOP ("Too many levels of symbolic links") surfaces as a plain FileSystemException
        String why = String.valueOf(e.getReason());
        problems.add(
            new Problem(
                rel(relPath),
                why.contains("levels of symbolic links")
                    ? "symbolic link loop; skipped"
                    : "unreadable link: " + why));
        return null;
      }
      if (!real.startsWith(root)) {
        problems.add(new Problem(rel(relPath), "link leads outside the music folder; skipped"));
        return null;
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    boolean audioName = TagReader.EXTENSIONS.contains(TagReader.extension(lower));
    if (a.isDirectory()) {
      Object key = a.fileKey() != null ? a.fileKey() : real;
      if (parent.hasAncestor(key)) {
        problems.add(new Problem(rel(relPath), "symbolic link loop; skipped"));
        return null;
      }
      if (!seenDirs.add(key)) {
        return null; // the same directory reached through another link: walked once
      }
      if (name.equals(Uploads.STAGING)) {
        return null; // uploads being received or unpacked: not music until placed
      }
      if (StemTags.isStemFolder(lower)) {
        stemFolder(real);
        return null; // one track: its files are its stems, not tracks of their own
      }
      if (audioName) {
        problems.add(new Problem(rel(relPath), "a directory named like an audio file; not played"));
      }
      if (parent.depth() + 1 > MAX_DEPTH) {
        problems.add(new Problem(rel(relPath), "deeper than " + MAX_DEPTH + " levels; not walked"));
        return null;
      }
      return new Dir(real, real, key, parent.depth() + 1, parent);
    }
    if (!a.isRegularFile()) {
      return null;
    }
    boolean cover = isCover(lower);
    if (cover) {
      coverByDir.merge(real.getParent(), real, (x, y) -> coverRank(x) <= coverRank(y) ? x : y);
    } else if (audioName && seenFiles.add(real)) {
      files.add(
          new Candidate(
              real, root.relativize(real).toString(), a.size(), a.lastModifiedTime().toMillis()));
    }
    return null;
  }

  /** A stem folder as one candidate: its size and time are its files' total and newest. */
  private void stemFolder(Path real) throws IOException {
    if (!seenFiles.add(real)) {
      return;
    }
    long[] sizeAndTime = {0, Files.getLastModifiedTime(real).toMillis()};
    try (java.util.stream.Stream<Path> all = Files.walk(real, 3)) {
      all.limit(1024)
          .forEach(
              p -> {
                try {
                  BasicFileAttributes fa = Files.readAttributes(p, BasicFileAttributes.class);
                  if (fa.isRegularFile()) {
                    sizeAndTime[0] += fa.size();
                  }
                  sizeAndTime[1] = Math.max(sizeAndTime[1], fa.lastModifiedTime().toMillis());
                } catch (IOException e) {
                  // vanished or unreadable: the scan of the set reports what matters
                }
              });
    }
    files.add(
        new Candidate(real, root.relativize(real).toString(), sizeAndTime[0], sizeAndTime[1]));
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
