package io.tonearm.daemon.mpd;

import io.tonearm.daemon.library.LibraryBrowser;
import io.tonearm.proto.v1.LibraryTrack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The library as MPD's database tree: every track by URI and by id, and each directory's
 * subdirectories and songs. Built from one read of the whole library and kept until the library
 * changes ({@link #invalidate}). Thread-safe; a built tree is immutable.
 */
final class TrackIndex {

  /**
   * One directory: its subdirectories (full URIs, sorted), its songs (by URI) and each song's lines
   * with every tag type, rendered when the tree is built (a tree lives until the library changes),
   * so that listings copy no song twice and format none again.
   */
  record Dir(TreeSet<String> dirs, List<LibraryTrack> songs, List<byte[]> rendered) {}

  /** An immutable view of the whole library. */
  record Tree(
      List<LibraryTrack> tracks,
      Map<String, LibraryTrack> byUri,
      Map<String, LibraryTrack> byId,
      Map<String, Dir> dirs,
      Map<String, Long> dirModifiedMs,
      long totalMs,
      int artists,
      int albums) {

    /**
     * The directory's modification time when the tree was built (MPD's {@code Last-Modified} of a
     * directory), 0 when unknown.
     */
    long modifiedMs(String dir) {
      return dirModifiedMs.getOrDefault(dir, 0L);
    }

    /** Songs at or under a directory URI ("" for all), in URI order. */
    List<LibraryTrack> under(String dir) {
      if (dir.isEmpty()) {
        return tracks;
      }
      List<LibraryTrack> out = new ArrayList<>();
      for (LibraryTrack t : tracks) {
        if (t.getPath().startsWith(dir + "/")) {
          out.add(t);
        }
      }
      return out;
    }
  }

  private static final java.util.Set<String> ALL_TAGS = java.util.Set.copyOf(Songs.TAG_TYPES);

  private final LibraryBrowser browser;
  private final Supplier<Map<String, Path>> roots;
  private final AtomicLong generation = new AtomicLong();
  private volatile CompletableFuture<Tree> current;
  private volatile long currentGeneration = -1;

  /**
   * @param roots each music folder's real path by folder id, read when a tree is built (on a
   *     library thread) to stat its directories; null for none (no directory times)
   */
  TrackIndex(LibraryBrowser browser, Supplier<Map<String, Path>> roots) {
    this.browser = browser;
    this.roots = roots;
  }

  LibraryBrowser browser() {
    return browser;
  }

  /** Forgets the built tree: the library changed. Any thread. */
  void invalidate() {
    generation.incrementAndGet();
  }

  /** The tree, built now if the library changed since the last one. */
  CompletionStage<Tree> tree() {
    long g = generation.get();
    CompletableFuture<Tree> f = current;
    if (f != null && currentGeneration == g && !f.isCompletedExceptionally()) {
      return f;
    }
    CompletableFuture<Tree> next =
        browser
            .all()
            .thenApply(all -> build(all, roots == null ? Map.of() : roots.get()))
            .toCompletableFuture();
    synchronized (this) {
      current = next;
      currentGeneration = g;
    }
    return next;
  }

  static Tree build(List<LibraryTrack> all) {
    return build(all, Map.of());
  }

  /**
   * The tree of {@code all}; each directory's time is its own modification time, read now from the
   * folder of the first song under it ({@code roots} by folder id; none when the folder is not
   * there or the directory cannot be read), as MPD stores a directory's time at its scan.
   */
  static Tree build(List<LibraryTrack> all, Map<String, Path> roots) {
    List<LibraryTrack> sorted = new ArrayList<>(all);
    sorted.sort((a, b) -> a.getPath().compareTo(b.getPath()));
    Map<String, LibraryTrack> byUri = new HashMap<>();
    Map<String, LibraryTrack> byId = new HashMap<>();
    Map<String, Dir> dirs = new TreeMap<>();
    Map<String, Long> dirTimes = new HashMap<>();
    dirs.put("", new Dir(new TreeSet<>(), new ArrayList<>(), new ArrayList<>()));
    long total = 0;
    java.util.Set<String> artists = new java.util.HashSet<>();
    java.util.Set<String> albums = new java.util.HashSet<>();
    for (LibraryTrack t : sorted) {
      byUri.putIfAbsent(t.getPath(), t);
      byId.put(t.getId(), t);
      total += t.getDurationMs();
      if (!t.getArtist().isEmpty()) {
        artists.add(t.getArtist());
      }
      if (!t.getAlbum().isEmpty()) {
        albums.add(t.getAlbum());
      }
      String parent = parent(t.getPath());
      if (!dirs.containsKey(parent)) {
        modified(roots.get(t.getFolderId()), parent, dirTimes);
      }
      Dir d = dir(dirs, parent);
      d.songs().add(t);
      Reply r = new Reply();
      Songs.write(r, t, ALL_TAGS);
      d.rendered().add(r.bytes());
    }
    return new Tree(
        Collections.unmodifiableList(sorted),
        byUri,
        byId,
        dirs,
        dirTimes,
        total,
        artists.size(),
        albums.size());
  }

  /** Records the times of {@code dir} and of its parents not yet recorded, under {@code root}. */
  private static void modified(Path root, String dir, Map<String, Long> times) {
    if (root == null) {
      return;
    }
    for (String d = dir; !d.isEmpty() && !times.containsKey(d); d = parent(d)) {
      try {
        times.put(d, Files.getLastModifiedTime(root.resolve(d)).toMillis());
      } catch (IOException | RuntimeException e) {
        times.put(d, 0L); // gone since the scan, or not readable: no time, as MPD's 0
      }
    }
  }

  private static Dir dir(Map<String, Dir> dirs, String uri) {
    Dir d = dirs.get(uri);
    if (d == null) {
      d = new Dir(new TreeSet<>(), new ArrayList<>(), new ArrayList<>());
      dirs.put(uri, d);
      if (!uri.isEmpty()) {
        dir(dirs, parent(uri)).dirs().add(uri);
      }
    }
    return d;
  }

  static String parent(String uri) {
    int slash = uri.lastIndexOf('/');
    return slash < 0 ? "" : uri.substring(0, slash);
  }
}
