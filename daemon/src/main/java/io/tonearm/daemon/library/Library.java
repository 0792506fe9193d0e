package io.tonearm.daemon.library;

import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.LibraryChanged;
import io.tonearm.proto.v1.LibrarySummary;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.MusicFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The music library: folders, scans (as jobs), the SQLite store, artwork, the file watcher and the
 * {@code library} topic. Writes and their events happen under the database's lock, in commit order;
 * reads run on a small reader pool and never block the caller.
 *
 * <p>Lifecycle: construct (opens and migrates the database), {@link #start()} (starts watching the
 * folders), {@link #close()}. Thread-safe.
 */
public final class Library implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Library.class);

  /** Threads reading tags in a scan: one per core, at most 8. */
  static final int SCAN_THREADS =
      Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

  /**
   * A scan thread ends after this long without work, so that an idle daemon does not keep their
   * stacks (issue 13); they hold no database connection.
   */
  static final long SCAN_THREAD_IDLE_SECONDS = 10;

  /** Threads answering queries. */
  static final int READ_THREADS = 2;

  /** Most ids {@link #tracksById} binds in one statement (SQLite allows 32,766). */
  static final int TRACKS_PER_QUERY = 500;

  private final LibraryDb db;
  private final ArtworkCache artwork;
  private final LibraryEvents events;
  private final Jobs jobs;
  private final ExecutorService scanPool;
  private final ExecutorService readers;
  private final ReentrantLock scanLock = new ReentrantLock();
  private final Folders folders;
  private final LibraryWatcher watcher;
  private volatile String scanJobId = "";
  private final List<Consumer<List<Path>>> catalogListeners = new CopyOnWriteArrayList<>();

  /** The folders' real paths, refreshed on every add and remove: the player reads it per queue. */
  private volatile List<Path> roots = List.of();

  /**
   * Opens the library in {@code dataDir} ({@code library.db}, {@code artwork/}).
   *
   * @param lane where {@code library} events go
   * @param jobs where scans run
   */
  public Library(Path dataDir, StateLane lane, Jobs jobs) throws IOException, SQLException {
    this.db = new LibraryDb(dataDir);
    this.artwork = new ArtworkCache(dataDir);
    this.jobs = jobs;
    this.events = new LibraryEvents(lane, this::summaryUnderLock);
    ThreadPoolExecutor scanThreads =
        new ThreadPoolExecutor(
            SCAN_THREADS,
            SCAN_THREADS,
            SCAN_THREAD_IDLE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads("tonearm-scan-"));
    scanThreads.allowCoreThreadTimeOut(true);
    this.scanPool = scanThreads;
    this.readers = Executors.newFixedThreadPool(READ_THREADS, threads("tonearm-library-read-"));
    this.folders = new Folders(this);
    this.watcher = new LibraryWatcher(this);
    refreshRoots();
  }

  /** Starts the file watcher on every music folder. */
  public void start() {
    watcher.start();
  }

  /** The folder operations (add, remove, list). */
  public Folders folders() {
    return folders;
  }

  /** A catalog for the player, backed by this library's store. */
  public io.tonearm.daemon.library.TrackCatalog catalog() {
    return new StoreCatalog(db, () -> roots);
  }

  /**
   * Calls {@code listener} with the real paths of files whose catalog data changed (stored by a
   * scan, re-read, or measured by a loudness job), after the commit and its library events; on the
   * writing thread, so the listener must not block.
   */
  public void onCataloged(Consumer<List<Path>> listener) {
    catalogListeners.add(listener);
  }

  void cataloged(List<Path> files) {
    if (files.isEmpty()) {
      return;
    }
    for (Consumer<List<Path>> l : catalogListeners) {
      try {
        l.accept(files);
      } catch (RuntimeException e) {
        log.warn("catalog listener failed", e);
      }
    }
  }

  /**
   * Starts a scan job.
   *
   * @param full re-read every file instead of only new and changed ones
   * @param folderIds folders to scan; empty for all
   * @param origin who asked
   * @throws IllegalArgumentException naming an unknown folder id
   */
  public Jobs.Submitted scan(boolean full, List<String> folderIds, String origin)
      throws SQLException {
    List<FolderScan.Folder> targets = folders.resolve(folderIds);
    String title =
        (full ? "full" : "incremental")
            + " scan of "
            + targets.size()
            + (targets.size() == 1 ? " folder" : " folders");
    return jobs.submit(
        "library.scan", title, origin, new FolderScan(this, targets, full, scanPool));
  }

  /**
   * Full-text search (see {@code GET /api/v1/library/search}); completes on a reader thread.
   *
   * @throws io.tonearm.daemon.errors.DomainException 400 for an empty or over-long query
   */
  public CompletionStage<io.tonearm.proto.v1.TrackList> search(String q, int limit) {
    LibraryQueries.ftsQuery(q);
    return read(c -> LibraryQueries.search(c, q, Math.min(limit, LibraryQueries.MAX_SEARCH)));
  }

  /** Runs {@code work} on a reader thread with its own connection. */
  public <T> CompletionStage<T> read(LibraryDb.SqlWork<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    readers.execute(
        () -> {
          try {
            f.complete(work.run(db.reader()));
          } catch (Throwable e) {
            f.completeExceptionally(e);
          }
        });
    return f;
  }

  /**
   * Runs {@code work} in one write transaction of the database, on a reader thread (it waits for a
   * scan's batch commit, never for a whole scan); for small writes from an event loop.
   */
  public <T> CompletionStage<T> write(LibraryDb.SqlWork<T> work) {
    return read(c -> db.write(work));
  }

  /** The topic's current snapshot (for a hub that needs it before the first event). */
  public Envelope.Builder snapshot() {
    synchronized (db) {
      return events.snapshot();
    }
  }

  /** The library summary (folders, counts, running scan). Blocking; call off the event loop. */
  public LibrarySummary summary() {
    synchronized (db) {
      return summaryUnderLock();
    }
  }

  /** The database, for capabilities that keep their tables beside the library's (playlists). */
  public LibraryDb database() {
    return db;
  }

  /** Real paths of the music folders, as of the last add or remove. Not blocking. */
  public List<Path> folderRoots() {
    return roots;
  }

  /** Re-reads the folders' paths after a change; caller holds the database lock or is starting. */
  void refreshRoots() throws SQLException {
    roots = List.copyOf(folders.list().stream().map(f -> Path.of(f.getPath())).toList());
  }

  /** The id of the track stored for this real path, if any. */
  public static java.util.Optional<String> trackIdByPath(Connection c, String realPath)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM tracks WHERE path = ?")) {
      ps.setString(1, realPath);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
      }
    }
  }

  /** The real path of a track, if it exists. */
  public static java.util.Optional<String> pathOf(Connection c, String trackId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT path FROM tracks WHERE id = ?")) {
      ps.setString(1, trackId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
      }
    }
  }

  LibraryDb db() {
    return db;
  }

  ArtworkCache artwork() {
    return artwork;
  }

  ReentrantLock scanLock() {
    return scanLock;
  }

  ExecutorService scanPool() {
    return scanPool;
  }

  /**
   * The music folder to scan for {@code file} (a real path): the folder holding it, or else {@code
   * dir} (which holds it) made a music folder, with its {@code folder_added} event.
   */
  FolderScan.Folder folderHolding(Path file, Path dir) throws SQLException {
    for (MusicFolder f : folders.list()) {
      if (file.startsWith(Path.of(f.getPath()))) {
        return new FolderScan.Folder(f.getId(), Path.of(f.getPath()));
      }
    }
    MusicFolder f = folders.ensure(dir.toString());
    return new FolderScan.Folder(f.getId(), Path.of(f.getPath()));
  }

  LibraryWatcher watcher() {
    return watcher;
  }

  void scanRunning(String jobId) {
    scanJobId = jobId;
  }

  /** Publishes one library event under the database lock. Returns its seq. */
  long publish(LibraryChanged.Builder change) {
    synchronized (db) {
      return events.publish(change);
    }
  }

  LibraryEvents events() {
    return events;
  }

  void scanError(String jobId, String folderId, String relPath, String message) {
    synchronized (db) {
      events.scanError(jobId, folderId, relPath, message);
    }
  }

  void setAvailable(String folderId, boolean available) throws SQLException {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE folders SET available = ? WHERE id = ?")) {
            ps.setBoolean(1, available);
            ps.setString(2, folderId);
            return ps.executeUpdate();
          }
        });
  }

  /** Added, updated and error counts of one committed batch. */
  record BatchOutcome(int added, int updated, int errors) {}

  /** Commits one scan batch and publishes what it changed, in one step under the lock. */
  BatchOutcome commitBatch(
      String jobId, String folderId, List<FolderScan.Result> batch, Map<String, long[]> known)
      throws SQLException {
    List<StoredTrack> tracks = new ArrayList<>();
    // The events carry the tracks as built here, not read back after the commit: a row is what
    // the batch wrote (LibraryProtos.track(StoredTrack) gives what a re-read gives), and the
    // re-read was an eighth of the scan's job thread (issue 13: cold scan).
    List<LibraryTrack> added = new ArrayList<>();
    List<LibraryTrack> updated = new ArrayList<>();
    List<FolderScan.Result> failed = new ArrayList<>();
    List<ArtworkCache.Art> arts = new ArrayList<>();
    for (FolderScan.Result r : batch) {
      if (r.track() != null) {
        tracks.add(r.track());
        (known.containsKey(r.track().path()) ? updated : added).add(LibraryProtos.track(r.track()));
        if (r.art() != null) {
          arts.add(r.art());
        }
      } else {
        failed.add(r);
      }
    }
    synchronized (db) {
      List<String> removedIds = new ArrayList<>();
      List<ArtworkCache.Art> newArt = new ArrayList<>();
      List<String> goneArt = new ArrayList<>();
      db.write(
          c -> {
            TrackWriter.upsert(c, tracks);
            for (ArtworkCache.Art a : arts) {
              if (TrackWriter.addArtwork(c, a.id(), a.mimeType(), a.size())) {
                newArt.add(a);
              }
            }
            for (FolderScan.Result r : failed) {
              String gone =
                  TrackWriter.recordError(
                      c,
                      folderId,
                      r.file().real().toString(),
                      r.file().relPath(),
                      r.file().size(),
                      r.file().mtimeMs(),
                      r.error());
              if (gone != null) {
                removedIds.add(gone);
              }
            }
            if (!updated.isEmpty() || !removedIds.isEmpty()) {
              // A retagged file may have left its old album or artist without tracks.
              goneArt.addAll(TrackWriter.removeOrphans(c));
            }
            return null;
          });
      newArt.forEach(events::artworkExtracted);
      if (!goneArt.isEmpty()) {
        dropArtwork(goneArt);
      }
      events.tracksAdded(added);
      events.tracksUpdated(updated);
      events.tracksRemoved(removedIds);
      for (FolderScan.Result r : failed) {
        events.scanError(jobId, folderId, r.file().relPath(), r.error());
      }
    }
    List<Path> stored = new ArrayList<>(tracks.size());
    for (FolderScan.Result r : batch) {
      if (r.track() != null) {
        stored.add(r.file().real());
      }
    }
    cataloged(stored);
    return new BatchOutcome(added.size(), updated.size(), failed.size());
  }

  /** Removes the tracks and error records of these paths, then orphans; returns tracks removed. */
  int removePaths(List<String> paths) throws SQLException {
    synchronized (db) {
      List<String> ids = new ArrayList<>();
      List<String> goneArt =
          db.write(
              c -> {
                ids.addAll(TrackWriter.deletePaths(c, paths));
                return TrackWriter.removeOrphans(c);
              });
      events.tracksRemoved(ids);
      dropArtwork(goneArt);
      return ids.size();
    }
  }

  /** Deletes cached artwork files and announces it; caller holds the database lock. */
  void dropArtwork(List<String> ids) {
    for (String id : ids) {
      try {
        artwork.delete(id);
      } catch (IOException e) {
        log.warn("cannot delete cached artwork {}: {}", id, e.getMessage());
      }
    }
    events.artworkRemoved(ids);
  }

  /** The stored tracks with these ids, in the same order; unknown ids are left out. */
  public static List<LibraryTrack> tracksById(Connection c, List<String> ids) throws SQLException {
    // One query per TRACKS_PER_QUERY ids rather than one per id: a scan's batch re-reads its 250
    // tracks, and a statement's execution (column names and all) cost more than its row.
    Map<String, LibraryTrack> byId = new HashMap<>();
    for (int from = 0; from < ids.size(); from += TRACKS_PER_QUERY) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + TRACKS_PER_QUERY));
      String marks = "?,".repeat(part.size());
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + LibraryProtos.TRACK_COLUMNS
                  + " FROM tracks t WHERE t.id IN ("
                  + marks.substring(0, marks.length() - 1)
                  + ")")) {
        for (int i = 0; i < part.size(); i++) {
          ps.setString(i + 1, part.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            LibraryTrack t = LibraryProtos.track(rs);
            byId.put(t.getId(), t);
          }
        }
      }
    }
    List<LibraryTrack> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      LibraryTrack t = byId.get(id);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** The summary; called with the database lock held (on the writer connection). */
  private LibrarySummary summaryUnderLock() {
    try {
      return db.write(
          c -> {
            LibrarySummary.Builder b = LibrarySummary.newBuilder();
            for (MusicFolder f : Folders.list(c)) {
              b.addFolders(f);
            }
            return b.setTrackCount(count(c, "tracks"))
                .setAlbumCount(count(c, "albums"))
                .setArtistCount(count(c, "artists"))
                .setErrorCount(count(c, "file_errors"))
                .setScanJobId(scanJobId)
                .build();
          });
    } catch (SQLException e) {
      throw new IllegalStateException("library store unreadable: " + e.getMessage(), e);
    }
  }

  private static int count(Connection c, String table) throws SQLException {
    try (var st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  @Override
  public void close() throws SQLException {
    watcher.close();
    scanPool.shutdownNow();
    readers.shutdown();
    try {
      scanPool.awaitTermination(1, TimeUnit.SECONDS);
      readers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    db.close();
  }

  static java.util.concurrent.ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
