package io.tonearm.daemon.library;

import io.tonearm.daemon.analysis.WaveformOverview;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.decode.StoppableDecoder;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.AnalyzeReply;
import io.tonearm.proto.v1.AnalyzeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Analysis of library tracks as typed calls: loudness analysis jobs and their results, and
 * per-track waveform overviews in the BBC audiowaveform formats, generated once by a job and then
 * served from a cache in the data dir. Arguments are checked on the caller's thread (a refusal is a
 * {@link DomainException} before anything runs); store work runs on the library's reader pool.
 * Thread-safe.
 */
public final class TrackAnalysis {

  /** Samples per pixel of an overview: at least 2, at most 2^20. */
  public static final int MAX_SAMPLES_PER_PIXEL = 1 << 20;

  private final Library library;
  private final Jobs jobs;
  private final Path cache;
  private final Map<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();

  /** The overview cache lives in {@code dataDir/waveforms}. */
  public TrackAnalysis(Library library, Jobs jobs, Path dataDir) throws IOException {
    this.library = library;
    this.jobs = jobs;
    this.cache = Files.createDirectories(dataDir.resolve("waveforms"));
  }

  /**
   * What overview to make: samples per pixel 2 to {@link #MAX_SAMPLES_PER_PIXEL}, 8 or 16 bits,
   * format version 1 or 2, channels mixed to mono or kept apart (version 2 only), binary {@code
   * .dat} or JSON.
   */
  public record WaveformOptions(
      int samplesPerPixel, int bits, int version, boolean split, boolean json) {
    public WaveformOptions {
      if (samplesPerPixel < 2 || samplesPerPixel > MAX_SAMPLES_PER_PIXEL) {
        throw DomainException.outOfRange(
            "samples_per_pixel", samplesPerPixel, "2 to " + MAX_SAMPLES_PER_PIXEL);
      }
      if (bits != 8 && bits != 16) {
        throw DomainException.outOfRange("bits", bits, "8 or 16");
      }
      if (version < 1 || version > 2) {
        throw DomainException.outOfRange("version", version, "1 to 2");
      }
      if (split && version == 1) {
        throw DomainException.badRequest("split channels need version 2");
      }
    }
  }

  /** Starts a loudness job over {@code a}'s tracks (or the whole library). */
  public AnalyzeReply analyze(AnalyzeRequest a, String origin) {
    if (a.getAll() == (a.getTrackIdsCount() > 0)) {
      throw DomainException.badRequest("give either track_ids or all");
    }
    if (a.getTrackIdsCount() > LoudnessJob.MAX_TRACKS) {
      throw DomainException.outOfRange(
          "track_ids", a.getTrackIdsCount(), "1 to " + LoudnessJob.MAX_TRACKS + " ids");
    }
    for (String id : a.getTrackIdsList()) {
      if (!Ids.valid(id)) {
        throw DomainException.notFound("track", Folders.clip(id));
      }
    }
    Jobs.Submitted s =
        submit(
            "analysis.loudness",
            a.getAll()
                ? "loudness of the whole library"
                : "loudness of " + a.getTrackIdsCount() + " tracks and their albums",
            origin,
            new LoudnessJob(
                library.db(), a.getTrackIdsList(), a.getMissingOnly(), library::cataloged));
    return AnalyzeReply.newBuilder().setJobId(s.jobId()).setSeq(s.seq()).build();
  }

  /** The stored loudness of a track; {@code not_found} when it was not analysed. */
  public CompletionStage<io.tonearm.proto.v1.TrackLoudness> loudness(String id) {
    checkTrackId(id);
    return library.read(
        c ->
            LoudnessJob.stored(c, id)
                .orElseThrow(() -> DomainException.notFound("loudness of track", id)));
  }

  /**
   * The overview's bytes, from the cache or made by a job first (the stage completes when the job
   * is done, or fails after 5 minutes when the job was cancelled before it ran).
   */
  public CompletionStage<byte[]> waveform(String id, WaveformOptions o, String origin) {
    checkTrackId(id);
    int spp = o.samplesPerPixel();
    int bits = o.bits();
    int version = o.version();
    boolean split = o.split();
    boolean json = o.json();
    return library
        .read(c -> fileOf(c, id))
        .thenCompose(
            file -> {
              String key =
                  String.format(
                      "%s-%d-%d-%d-b%d-v%d-%s.%s",
                      id,
                      file.size,
                      file.mtime,
                      spp,
                      bits,
                      version,
                      split ? "split" : "mono",
                      json ? "json" : "dat");
              Path cached = cache.resolve(key);
              if (Files.exists(cached)) {
                return CompletableFuture.completedFuture(cached);
              }
              return inFlight.computeIfAbsent(
                  key, k -> generate(origin, file.path, cached, spp, bits, version, split, json));
            })
        .thenApply(
            path -> {
              try {
                return Files.readAllBytes(path);
              } catch (IOException e) {
                throw new DomainException(
                    DomainException.Kind.INTERNAL,
                    "internal",
                    "overview unreadable: " + e.getMessage());
              }
            });
  }

  private record TrackFile(Path path, long size, long mtime) {}

  private static TrackFile fileOf(java.sql.Connection c, String id) throws java.sql.SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT path, size, mtime_ms FROM tracks WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw DomainException.notFound("track", id);
        }
        return new TrackFile(Path.of(rs.getString(1)), rs.getLong(2), rs.getLong(3));
      }
    }
  }

  private CompletableFuture<Path> generate(
      String origin,
      Path file,
      Path target,
      int spp,
      int bits,
      int version,
      boolean split,
      boolean json) {
    // A job cancelled before it ran never completes the future: the reply gives up after 5 minutes.
    CompletableFuture<Path> done = new CompletableFuture<Path>().orTimeout(5, TimeUnit.MINUTES);
    String key = target.getFileName().toString();
    done.whenComplete((p, e) -> inFlight.remove(key));
    submit(
        "analysis.waveform",
        "waveform overview of " + file.getFileName(),
        origin,
        ctx -> {
          ctx.total(1);
          try (Decoder d = new StoppableDecoder(Decoders.open(file), ctx::cancelled)) {
            WaveformOverview o = WaveformOverview.generate(d, spp, split);
            byte[] bytes = json ? o.toJson(bits, version) : o.toDat(bits, version);
            Path tmp = target.resolveSibling(key + ".tmp");
            Files.write(tmp, bytes);
            Files.move(
                tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            ctx.advance(file.getFileName().toString());
            done.complete(target);
          } catch (Exception e) {
            if (ctx.cancelled()) {
              done.completeExceptionally(
                  DomainException.conflict(
                      "the overview of " + file.getFileName() + " was cancelled"));
              throw e;
            }
            done.completeExceptionally(
                new DomainException(
                    DomainException.Kind.UNPROCESSABLE,
                    "undecodable",
                    "cannot make an overview of " + file.getFileName() + ": " + e.getMessage()));
            throw e;
          }
        });
    return done;
  }

  private Jobs.Submitted submit(
      String kind, String title, String origin, io.tonearm.daemon.jobs.JobBody body) {
    try {
      return jobs.submit(kind, title, origin, body);
    } catch (IllegalStateException full) {
      throw new DomainException(DomainException.Kind.UNAVAILABLE, "busy", full.getMessage());
    }
  }

  private static void checkTrackId(String id) {
    if (!Ids.valid(id)) {
      throw DomainException.notFound("track", Folders.clip(id));
    }
  }
}
