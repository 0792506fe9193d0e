package io.tonearm.daemon.library;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every directory of every music folder (java.nio WatchService, registered recursively, new
 * directories as they appear) and, once a folder has been quiet for {@value #DEBOUNCE_MS} ms (or
 * {@value #MAX_DELAY_MS} ms after its first change, under a steady stream of changes), starts an
 * incremental scan of that folder. Incremental scans only read changed files, so rescanning the
 * whole folder costs a walk. Trees are walked on a thread of the watcher's own with {@link
 * FolderWalk}'s bounds (each real directory once), never under the library's locks.
 */
final class LibraryWatcher implements AutoCloseable {
  static final long DEBOUNCE_MS = 750;
  static final long MAX_DELAY_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(LibraryWatcher.class);

  private final Library library;
  private final Map<WatchKey, String> folderByKey = new ConcurrentHashMap<>();
  private final Map<String, Path> roots = new ConcurrentHashMap<>();

  /** Watched directories (as registered: real paths) and their folder ids. */
  private final Map<Path, String> watchedDirs = new ConcurrentHashMap<>();

  /** Folder id to {first change, last change} in ms; touched by the watcher thread only. */
  private final Map<String, long[]> pending = new HashMap<>();

  /** Walks and registers trees, one at a time, so that no caller waits for a walk. */
  private final java.util.concurrent.ExecutorService registrar =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          Library.threads("tonearm-library-watch-walk-"));

  private volatile WatchService service;
  private Thread thread;
  private volatile boolean closed;

  LibraryWatcher(Library library) {
    this.library = library;
  }

  synchronized void start() {
    try {
      service = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      log.warn("file watching unavailable: {}", e.getMessage());
      return;
    }
    try {
      for (var f : library.folders().list()) {
        watch(f.getId(), Path.of(f.getPath()));
      }
    } catch (java.sql.SQLException e) {
      log.warn("cannot list music folders to watch: {}", e.getMessage());
    }
    thread = new Thread(this::loop, "tonearm-library-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Watches a folder and all directories under it. Returns at once: the directories are walked and
   * registered on the watcher's registration thread (never under the caller's locks). No-op before
   * {@link #start()}.
   */
  void watch(String folderId, Path root) {
    if (service == null || closed) {
      return;
    }
    roots.put(folderId, root);
    register(folderId, root); // at once, so that a change right after this call is seen
    registerLater(folderId, root);
  }

  /**
   * Watches directories a scan walked. A directory created just before its parent was registered
   * sends no event; registering everything each walk sees closes that gap (registering a watched
   * directory again is one cheap system call).
   */
  void ensureWatched(String folderId, java.util.Collection<Path> dirs) {
    if (service == null || !roots.containsKey(folderId)) {
      return;
    }
    for (Path d : dirs) {
      if (closed || !roots.containsKey(folderId)) {
        return;
      }
      register(folderId, d);
    }
  }

  void unwatch(String folderId) {
    roots.remove(folderId);
    watchedDirs.values().removeIf(folderId::equals);
    folderByKey
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue().equals(folderId)) {
                e.getKey().cancel();
                return true;
              }
              return false;
            });
  }

  /** Directories registered so far, over all folders. */
  int watchedDirectories() {
    return folderByKey.size();
  }

  private void registerLater(String folderId, Path dir) {
    try {
      registrar.execute(() -> registerTree(folderId, dir));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void register(String folderId, Path dir) {
    try {
      WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      folderByKey.put(key, folderId);
      watchedDirs.put(dir, folderId);
      if (!roots.containsKey(folderId)) {
        unwatch(folderId); // removed while we registered
      }
    } catch (IOException | RuntimeException e) {
      // inotify limits and the like: watch what we can; scans still see everything.
      log.debug("cannot watch {}: {}", dir, e.toString());
    }
  }

  /** Walks {@code dir} (bounded, each real directory once, see {@link FolderWalk}) and watches. */
  private void registerTree(String folderId, Path dir) {
    Path root = roots.get(folderId);
    if (root == null || closed) {
      return;
    }
    FolderWalk walk;
    try {
      Path real = dir.toRealPath();
      if (!real.startsWith(root)) {
        return;
      }
      walk =
          FolderWalk.walk(
              root,
              real,
              () -> closed || !roots.containsKey(folderId),
              FolderWalk.MAX_DIRECTORIES,
              FolderWalk.MAX_ENTRIES);
    } catch (IOException | RuntimeException e) {
      log.debug("watching {} failed: {}", dir, e.toString());
      return;
    }
    ensureWatched(folderId, walk.dirs);
  }

  private void loop() {
    while (!closed) {
      WatchKey key;
      try {
        // Block until something changes; poll only while a debounced change waits to fire.
        key = pending.isEmpty() ? service.take() : service.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      long now = System.currentTimeMillis();
      if (key != null) {
        String folderId = folderByKey.get(key);
        for (WatchEvent<?> ev : key.pollEvents()) {
          if (folderId == null || !(key.watchable() instanceof Path dir)) {
            continue;
          }
          if (ev.kind() == OVERFLOW) {
            log.debug("watch overflow in folder {}", folderId);
            pending.computeIfAbsent(folderId, k -> new long[] {now, now})[1] = now;
            continue;
          }
          Path child = dir.resolve((Path) ev.context());
          boolean directory = Files.isDirectory(child);
          if (!directory && !relevant(child, ev.kind())) {
            continue; // a change the library cannot see (the daemon's own database files)
          }
          pending.computeIfAbsent(folderId, k -> new long[] {now, now})[1] = now;
          if (ev.kind() == ENTRY_CREATE && directory) {
            registerLater(folderId, child);
          }
        }
        if (!key.reset()) {
          folderByKey.remove(key);
          if (key.watchable() instanceof Path gone) {
            watchedDirs.remove(gone);
          }
        }
      }
      fireDue(now);
    }
  }

  /**
   * Whether a change to a path that is not (or no longer) a directory can change the library: an
   * audio file, a cover image, or a directory that was watched (deleted or moved away).
   */
  private boolean relevant(Path child, WatchEvent.Kind<?> kind) {
    String lower = child.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return TagReader.EXTENSIONS.contains(TagReader.extension(lower))
        || FolderWalk.isCover(lower)
        || (kind == ENTRY_DELETE && watchedDirs.containsKey(child));
  }

  private void fireDue(long now) {
    var it = pending.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      long[] t = e.getValue();
      if (now - t[1] >= DEBOUNCE_MS || now - t[0] >= MAX_DELAY_MS) {
        it.remove();
        if (!roots.containsKey(e.getKey())) {
          continue;
        }
        try {
          library.scan(false, List.of(e.getKey()), "watcher");
        } catch (Exception ex) {
          log.warn("watcher could not start a scan: {}", ex.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    registrar.shutdownNow();
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        log.debug("closing watch service: {}", e.getMessage());
      }
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
