package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.api.ApiHandler;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.library.TrackAnalysis;
import io.tonearm.proto.v1.AnalyzeReply;
import io.tonearm.proto.v1.AnalyzeRequest;
import io.tonearm.proto.v1.TrackLoudness;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Handlers of the track analysis commands; the waveform overview answers bytes (HTTP only). */
final class AnalysisCommands {

  private final TrackAnalysis analysis;

  AnalysisCommands(TrackAnalysis analysis) {
    this.analysis = analysis;
  }

  CompletionStage<AnalyzeReply> analyze(Call<AnalyzeRequest> c) {
    return CompletableFuture.completedFuture(analysis.analyze(c.request(), c.origin().getClient()));
  }

  CompletionStage<TrackLoudness> loudness(Call<Empty> c) {
    return analysis.loudness(c.param("id"));
  }

  /**
   * {@code ?samples_per_pixel=256&bits=8&version=2&channels=mono|split&format=dat|json}: the
   * overview, from the cache or made by a job first (the reply waits for the job).
   */
  ApiHandler waveform() {
    return req -> {
      String id = req.param("id");
      int spp = req.intParam("samples_per_pixel", 256, 2, TrackAnalysis.MAX_SAMPLES_PER_PIXEL);
      int bits = req.intParam("bits", 8, 8, 16);
      int version = req.intParam("version", 2, 1, 2);
      boolean split =
          switch (req.queryParam("channels", "mono")) {
            case "mono" -> false;
            case "split" -> true;
            default -> throw DomainException.badRequest("channels must be mono or split");
          };
      boolean json =
          switch (req.queryParam("format", "dat")) {
            case "dat" -> false;
            case "json" -> true;
            default -> throw DomainException.badRequest("format must be dat or json");
          };
      TrackAnalysis.WaveformOptions o =
          new TrackAnalysis.WaveformOptions(spp, bits, version, split, json);
      return analysis
          .waveform(id, o, req.client())
          .thenApply(
              bytes ->
                  ApiResponse.bytes(
                      json ? "application/json" : "application/octet-stream",
                      bytes,
                      Map.of("Cache-Control", "public, max-age=86400")));
    };
  }
}
