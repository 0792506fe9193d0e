package io.tonearm.daemon.library;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
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
 * whole folder costs a walk.
 */
final class LibraryWatcher implements AutoCloseable {
  static final long DEBOUNCE_MS = 750;
  static final long MAX_DELAY_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(LibraryWatcher.class);

  private final Library library;
  private final Map<WatchKey, String> folderByKey = new ConcurrentHashMap<>();
  private final Map<String, Path> roots = new ConcurrentHashMap<>();

  /** Folder id to {first change, last change} in ms; touched by the watcher thread only. */
  private final Map<String, long[]> pending = new HashMap<>();

  private WatchService service;
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

  /** Watches a folder and all directories under it. No-op before {@link #start()}. */
  synchronized void watch(String folderId, Path root) {
    if (service == null) {
      return;
    }
    roots.put(folderId, root);
    registerTree(folderId, root);
  }

  /**
   * Watches directories a scan walked. A directory created just before its parent was registered
   * sends no event; registering everything each walk sees closes that gap (registering a watched
   * directory again is one cheap system call).
   */
  synchronized void ensureWatched(String folderId, java.util.Collection<Path> dirs) {
    if (service == null || !roots.containsKey(folderId)) {
      return;
    }
    for (Path d : dirs) {
      try {
        folderByKey.put(d.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), folderId);
      } catch (IOException | RuntimeException e) {
        log.debug("cannot watch {}: {}", d, e.toString());
      }
    }
  }

  synchronized void unwatch(String folderId) {
    roots.remove(folderId);
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

  private void registerTree(String folderId, Path dir) {
    Path root = roots.get(folderId);
    if (root == null) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          FolderWalk.MAX_DEPTH,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                throws IOException {
              Path real = d.toRealPath();
              if (!real.startsWith(root)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              folderByKey.put(
                  real.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), folderId);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              return FileVisitResult.CONTINUE; // loops, unreadable directories: skip them
            }
          });
    } catch (IOException | RuntimeException e) {
      // inotify limits and the like: watch what we can; scans still see everything.
      log.debug("watching {} partly failed: {}", dir, e.toString());
    }
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
          if (folderId == null) {
            continue;
          }
          pending.computeIfAbsent(folderId, k -> new long[] {now, now})[1] = now;
          if (ev.kind() == ENTRY_CREATE && key.watchable() instanceof Path dir) {
            Path child = dir.resolve((Path) ev.context());
            if (Files.isDirectory(child)) {
              synchronized (this) {
                registerTree(folderId, child);
              }
            }
          } else if (ev.kind() == OVERFLOW) {
            log.debug("watch overflow in folder {}", folderId);
          }
        }
        if (!key.reset()) {
          folderByKey.remove(key);
        }
      }
      fireDue(now);
    }
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
  public synchronized void close() {
    closed = true;
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
