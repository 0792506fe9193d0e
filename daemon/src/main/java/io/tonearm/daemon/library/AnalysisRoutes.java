package io.tonearm.daemon.library;

import io.tonearm.daemon.analysis.WaveformOverview;
import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiRequest;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.decode.StoppableDecoder;
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
 * Analysis of library tracks over HTTP: loudness analysis jobs and their results, and per-track
 * waveform overviews in the BBC audiowaveform formats, generated once by a job and then served from
 * a cache in the data dir.
 */
public final class AnalysisRoutes {

  /** Samples per pixel of an overview: at least 2, at most 2^20. */
  public static final int MAX_SAMPLES_PER_PIXEL = 1 << 20;

  private final Library library;
  private final Jobs jobs;
  private final Path cache;
  private final Map<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();

  private AnalysisRoutes(Library library, Jobs jobs, Path dataDir) throws IOException {
    this.library = library;
    this.jobs = jobs;
    this.cache = Files.createDirectories(dataDir.resolve("waveforms"));
  }

  /** Registers the analysis routes; the overview cache lives in {@code dataDir/waveforms}. */
  public static void register(Router router, Library library, Jobs jobs, Path dataDir)
      throws IOException {
    AnalysisRoutes r = new AnalysisRoutes(library, jobs, dataDir);
    router.post("/api/v1/library/analyze", r::analyze);
    router.get("/api/v1/library/tracks/{id}/loudness", r::loudness);
    router.get("/api/v1/library/tracks/{id}/waveform", r::waveform);
  }

  private CompletionStage<ApiResponse> analyze(ApiRequest req) {
    AnalyzeRequest a = req.parse(AnalyzeRequest.newBuilder()).build();
    if (a.getAll() == (a.getTrackIdsCount() > 0)) {
      throw ApiException.badRequest("give either track_ids or all");
    }
    if (a.getTrackIdsCount() > LoudnessJob.MAX_TRACKS) {
      throw ApiException.outOfRange(
          "track_ids", a.getTrackIdsCount(), "1 to " + LoudnessJob.MAX_TRACKS + " ids");
    }
    for (String id : a.getTrackIdsList()) {
      if (!Ids.valid(id)) {
        throw ApiException.notFound("track", Folders.clip(id));
      }
    }
    Jobs.Submitted s =
        submit(
            "analysis.loudness",
            a.getAll()
                ? "loudness of the whole library"
                : "loudness of " + a.getTrackIdsCount() + " tracks and their albums",
            req.client(),
            new LoudnessJob(library.db(), a.getTrackIdsList(), a.getMissingOnly()));
    return CompletableFuture.completedFuture(
        new ApiResponse.Proto(
            202, AnalyzeReply.newBuilder().setJobId(s.jobId()).setSeq(s.seq()).build()));
  }

  private CompletionStage<ApiResponse> loudness(ApiRequest req) {
    String id = trackId(req);
    return library.read(
        c ->
            ApiResponse.ok(
                LoudnessJob.stored(c, id)
                    .orElseThrow(() -> ApiException.notFound("loudness of track", id))));
  }

  /**
   * {@code ?samples_per_pixel=256&bits=8&version=2&channels=mono|split&format=dat|json}: the
   * overview, from the cache or made by a job first (the reply waits for the job).
   */
  private CompletionStage<ApiResponse> waveform(ApiRequest req) {
    String id = trackId(req);
    int spp = req.intParam("samples_per_pixel", 256, 2, MAX_SAMPLES_PER_PIXEL);
    int bits = req.intParam("bits", 8, 8, 16);
    if (bits != 8 && bits != 16) {
      throw ApiException.outOfRange("bits", bits, "8 or 16");
    }
    int version = req.intParam("version", 2, 1, 2);
    boolean split =
        switch (req.queryParam("channels", "mono")) {
          case "mono" -> false;
          case "split" -> true;
          default -> throw ApiException.badRequest("channels must be mono or split");
        };
    if (split && version == 1) {
      throw ApiException.badRequest("split channels need version 2");
    }
    boolean json =
        switch (req.queryParam("format", "dat")) {
          case "dat" -> false;
          case "json" -> true;
          default -> throw ApiException.badRequest("format must be dat or json");
        };
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
                  key,
                  k -> generate(req.client(), file.path, cached, spp, bits, version, split, json));
            })
        .thenApply(
            path -> {
              try {
                return ApiResponse.bytes(
                    json ? "application/json" : "application/octet-stream",
                    Files.readAllBytes(path),
                    Map.of("Cache-Control", "public, max-age=86400"));
              } catch (IOException e) {
                throw new ApiException(500, "internal", "overview unreadable: " + e.getMessage());
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
          throw ApiException.notFound("track", id);
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
                  ApiException.conflict(
                      "the overview of " + file.getFileName() + " was cancelled"));
              throw e;
            }
            done.completeExceptionally(
                new ApiException(
                    422,
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
      throw new ApiException(503, "busy", full.getMessage());
    }
  }

  private static String trackId(ApiRequest req) {
    String id = req.param("id");
    if (!Ids.valid(id)) {
      throw ApiException.notFound("track", Folders.clip(id));
    }
    return id;
  }
}
