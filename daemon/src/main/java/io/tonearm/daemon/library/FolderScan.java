package io.tonearm.daemon.library;

import io.tonearm.daemon.jobs.JobBody;
import io.tonearm.daemon.jobs.JobContext;
import io.tonearm.proto.v1.LibraryChanged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One scan of some music folders, run as a job: walk, read new and changed files in parallel on the
 * scan pool, commit in batches of {@value #BATCH} (so a killed scan keeps what it committed and the
 * next scan skips those files), then remove the tracks whose files are gone. Removal only happens
 * after a complete walk of a folder that still exists, so a cancelled scan, a walk stopped at its
 * bound or an unmounted folder never empties the library.
 */
final class FolderScan implements JobBody {
  /**
   * Files per commit. A batch and the reads ahead of it are what a scan holds at any time: at 250
   * (with 250 read ahead), the young collections during a 2,000-file scan promoted results still
   * held and the old generation grew for good (12.1 against 10.9 MB), which 100 avoids (issue 13:
   * idle memory after a scan); SQLite's cost per commit stays small beside its cost per row.
   */
  static final int BATCH = 100;

  /** Most files read (or being read) and not yet taken for a commit. */
  static final int READ_AHEAD = BATCH;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FolderScan.class);

  /** How often a scan waiting for a slow file checks for a cancel, in ms. */
  private static final long CANCEL_POLL_MS = 50;

  private static final long PROGRESS_EVENT_NANOS = 250_000_000L;

  /** A music folder to scan. */
  record Folder(String id, Path path) {}

  /** What reading one file gave. */
  record Result(FolderWalk.Candidate file, StoredTrack track, String error, ArtworkCache.Art art) {}

  private final Library library;
  private final List<Folder> folders;
  private final boolean full;
  private final ExecutorService pool;
  private final Map<Path, Optional<ArtworkCache.Art>> coverCache = new ConcurrentHashMap<>();

  private long seenCount;
  private long readCount;
  private long added;
  private long updated;
  private long removed;
  private long errors;
  private long lastProgressEvent;
  private final List<String> vanished = new ArrayList<>();

  /** Test hook: runs after each folder's walk, before its files are read. Null in production. */
  static volatile java.util.function.Consumer<Path> afterWalk;

  FolderScan(Library library, List<Folder> folders, boolean full, ExecutorService pool) {
    this.library = library;
    this.folders = folders;
    this.full = full;
    this.pool = pool;
  }

  @Override
  public void run(JobContext ctx) throws Exception {
    long start = System.nanoTime();
    library.scanLock().lockInterruptibly();
    try {
      library.publish(
          LibraryChanged.newBuilder()
              .setScanStarted(
                  LibraryChanged.ScanStarted.newBuilder()
                      .setJobId(ctx.id())
                      .setFull(full)
                      .addAllFolderIds(folders.stream().map(Folder::id).toList())));
      library.scanRunning(ctx.id());
      long total = 0;
      for (Folder folder : folders) {
        if (ctx.cancelled()) {
          break;
        }
        total = scanFolder(ctx, folder, total);
      }
    } finally {
      library.scanRunning("");
      log.info(
          "scan {} {}: {} files seen, {} added, {} updated, {} removed, {} errors, {} ms",
          ctx.id(),
          ctx.cancelled() ? "cancelled" : "done",
          seenCount,
          added,
          updated,
          removed,
          errors,
          (System.nanoTime() - start) / 1_000_000);
      library.publish(
          LibraryChanged.newBuilder()
              .setScanCompleted(
                  LibraryChanged.ScanCompleted.newBuilder()
                      .setJobId(ctx.id())
                      .setFilesSeen(seenCount)
                      .setAdded(added)
                      .setUpdated(updated)
                      .setRemoved(removed)
                      .setErrors(errors)
                      .setElapsedMs((System.nanoTime() - start) / 1_000_000)
                      .setCancelled(ctx.cancelled())));
      library.db().releaseMemory();
      library.scanLock().unlock();
    }
  }

  private long scanFolder(JobContext ctx, Folder folder, long total)
      throws SQLException, InterruptedException {
    Path root = folder.path();
    FolderWalk walk;
    try {
      if (!Files.isDirectory(root)) {
        throw new IOException("folder is missing");
      }
      walk = FolderWalk.walk(root, ctx::cancelled);
    } catch (IOException e) {
      library.setAvailable(folder.id(), false);
      error(ctx, folder, "", "folder unavailable: " + e.getMessage());
      return total;
    }
    library.setAvailable(folder.id(), true);
    library.watcher().ensureWatched(folder.id(), walk.dirs);
    for (FolderWalk.Problem p : walk.problems) {
      error(ctx, folder, p.relPath(), p.error());
    }
    Map<String, long[]> known = library.db().write(c -> TrackWriter.known(c, folder.id()));
    seenCount += walk.files.size();
    List<FolderWalk.Candidate> toRead = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (FolderWalk.Candidate f : walk.files) {
      String path = f.real().toString();
      seen.add(path);
      long[] k = known.get(path);
      if (full || k == null || k[0] != f.size() || k[1] != f.mtimeMs()) {
        toRead.add(f);
      }
    }
    total += toRead.size();
    ctx.total(total);
    var hook = afterWalk;
    if (hook != null) {
      hook.accept(root);
    }
    vanished.clear();
    readAll(ctx, folder, walk, toRead, known);
    if (!ctx.cancelled() && walk.complete && Files.isDirectory(root)) {
      seen.removeAll(vanished);
      List<String> gone = known.keySet().stream().filter(p -> !seen.contains(p)).toList();
      if (!gone.isEmpty()) {
        removed += library.removePaths(gone);
      }
    }
    return total;
  }

  private void readAll(
      JobContext ctx,
      Folder folder,
      FolderWalk walk,
      List<FolderWalk.Candidate> toRead,
      Map<String, long[]> known)
      throws SQLException, InterruptedException {
    CompletionService<Result> done = new ExecutorCompletionService<>(pool);
    // Reads run at most READ_AHEAD files ahead of the commits, and a finished read is dropped from
    // the in-flight set when taken: reading is faster than committing, and a result held until the
    // scan's end (a whole library of tracks) was what made the heap grow for good during a scan.
    Set<Future<Result>> inFlight = new HashSet<>();
    Iterator<FolderWalk.Candidate> pending = toRead.iterator();
    List<Result> batch = new ArrayList<>(BATCH);
    try {
      for (int i = 0; i < toRead.size(); i++) {
        while (inFlight.size() < READ_AHEAD && pending.hasNext()) {
          FolderWalk.Candidate f = pending.next();
          Path cover = walk.coverByDir.get(f.real().getParent());
          inFlight.add(done.submit(() -> read(folder, f, cover)));
        }
        if (ctx.cancelled()) {
          break;
        }
        Future<Result> next = done.poll(CANCEL_POLL_MS, TimeUnit.MILLISECONDS);
        if (next == null) {
          i--; // nothing finished yet: check for a cancel, then wait again
          continue;
        }
        inFlight.remove(next);
        Result r;
        try {
          r = next.get();
        } catch (ExecutionException e) {
          continue; // read() catches everything; a crash here is a bug worth no more than a file
        }
        readCount++;
        ctx.advance(r.file().relPath());
        if (r.track() != null || r.error() != null) {
          batch.add(r);
        } else {
          vanished.add(r.file().real().toString());
        }
        if (batch.size() >= BATCH) {
          commit(ctx, folder, batch, known);
        }
        progressEvent(ctx);
      }
      commit(ctx, folder, batch, known);
    } finally {
      inFlight.forEach(f -> f.cancel(true));
    }
  }

  private void commit(JobContext ctx, Folder folder, List<Result> batch, Map<String, long[]> known)
      throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    Library.BatchOutcome o = library.commitBatch(ctx.id(), folder.id(), batch, known);
    added += o.added();
    updated += o.updated();
    errors += o.errors();
    for (Result r : batch) {
      if (r.error() != null) {
        ctx.error(r.file().relPath(), r.error());
      }
    }
    batch.clear();
  }

  private void error(JobContext ctx, Folder folder, String relPath, String message) {
    errors++;
    ctx.error(relPath, message);
    library.scanError(ctx.id(), folder.id(), relPath, message);
  }

  private void progressEvent(JobContext ctx) {
    long now = System.nanoTime();
    if (now - lastProgressEvent < PROGRESS_EVENT_NANOS) {
      return;
    }
    lastProgressEvent = now;
    library.publish(
        LibraryChanged.newBuilder()
            .setScanProgress(
                LibraryChanged.ScanProgress.newBuilder()
                    .setJobId(ctx.id())
                    .setFilesSeen(seenCount)
                    .setFilesRead(readCount)
                    .setErrors(errors)));
  }

  /** Reads one file on a pool thread; never throws. */
  private Result read(Folder folder, FolderWalk.Candidate f, Path cover) {
    TrackTags tags;
    try {
      tags = TagReader.read(f.real());
    } catch (IOException | RuntimeException | StackOverflowError e) {
      if (!Files.exists(f.real())) {
        return new Result(f, null, null, null); // vanished mid-scan: the removal pass drops it
      }
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Result(f, null, why, null);
    }
    ArtworkCache.Art art = null;
    if (tags.picture() != null) {
      try {
        art = library.artwork().put(tags.picture().data());
      } catch (IOException | RuntimeException e) {
        art = null; // a broken picture costs the picture only
      }
    }
    if (art == null && cover != null) {
      art = coverCache.computeIfAbsent(cover, this::readCover).orElse(null);
    }
    TrackTags stored = withoutPicture(tags);
    StoredTrack t =
        StoredTrack.of(
            folder.id(),
            f.real().toString(),
            f.relPath(),
            f.size(),
            f.mtimeMs(),
            stored,
            art == null ? null : art.id());
    return new Result(f, t, null, art);
  }

  private Optional<ArtworkCache.Art> readCover(Path cover) {
    try {
      if (Files.size(cover) > ArtworkCache.MAX_FOLDER_IMAGE_BYTES) {
        return Optional.empty();
      }
      return Optional.of(library.artwork().put(Files.readAllBytes(cover)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static TrackTags withoutPicture(TrackTags t) {
    return new TrackTags(
        t.title(),
        t.artist(),
        t.album(),
        t.albumArtist(),
        t.trackNumber(),
        t.trackTotal(),
        t.discNumber(),
        t.discTotal(),
        t.year(),
        t.genre(),
        t.durationMs(),
        t.sampleRate(),
        t.channels(),
        t.bitRateKbps(),
        t.codec(),
        t.bitsPerSample(),
        t.date(),
        t.trackGainDb(),
        t.trackPeak(),
        t.albumGainDb(),
        t.albumPeak(),
        t.mbRecordingId(),
        t.mbReleaseTrackId(),
        t.mbReleaseId(),
        t.mbArtistId(),
        t.mbReleaseArtistId(),
        t.lyrics(),
        t.mixrampStart(),
        t.mixrampEnd(),
        null);
  }
}
