package io.tonearm.client;

import com.google.protobuf.Empty;
import io.tonearm.proto.v1.AnalyzeReply;
import io.tonearm.proto.v1.AnalyzeRequest;
import io.tonearm.proto.v1.TrackLoudness;
import java.util.List;

/**
 * Offline analysis of library tracks (loudness, ReplayGain, waveform overviews) and the live
 * meters' reset. Live analysis frames come from {@link TonearmClient#frames}. Immutable and
 * thread-safe; get it from {@link TonearmClient#analysis()}.
 */
public final class AnalysisCalls {

  private final Requests r;

  AnalysisCalls(Requests r) {
    this.r = r;
  }

  /**
   * Starts a loudness job (kind {@code analysis.loudness}) over these tracks and their albums; 1 to
   * 10,000 ids. With {@code missingOnly}, tracks already measured are skipped.
   */
  public Call<AnalyzeReply> analyze(List<String> trackIds, boolean missingOnly) {
    Requests.ids("trackIds", trackIds);
    Requests.range("number of track ids", trackIds.size(), 1, 10_000);
    return r.send(
        "POST",
        "/api/v1/library/analyze",
        AnalyzeRequest.newBuilder().addAllTrackIds(trackIds).setMissingOnly(missingOnly).build(),
        AnalyzeReply.parser());
  }

  /** Starts a loudness job over the whole library. */
  public Call<AnalyzeReply> analyzeAll(boolean missingOnly) {
    return r.send(
        "POST",
        "/api/v1/library/analyze",
        AnalyzeRequest.newBuilder().setAll(true).setMissingOnly(missingOnly).build(),
        AnalyzeReply.parser());
  }

  /** A track's stored loudness; 404 until it has been analysed (or after the file changed). */
  public Call<TrackLoudness> loudness(String trackId) {
    return r.get(
        "/api/v1/library/tracks/" + Requests.enc(Requests.id("trackId", trackId)) + "/loudness",
        TrackLoudness.parser());
  }

  /**
   * A track's overview in the BBC audiowaveform {@code .dat} format (version 2, mono), made by a
   * job on first use (the call waits for it, up to 5 minutes: give the client a long enough call
   * timeout).
   *
   * @param samplesPerPixel 2 to 1,048,576
   * @param bits 8 or 16
   */
  public Call<byte[]> waveform(String trackId, int samplesPerPixel, int bits) {
    Requests.range("samplesPerPixel", samplesPerPixel, 2, 1 << 20);
    if (bits != 8 && bits != 16) {
      throw new IllegalArgumentException("bits must be 8 or 16, got " + bits);
    }
    return r.bytes(
        "GET",
        "/api/v1/library/tracks/"
            + Requests.enc(Requests.id("trackId", trackId))
            + "/waveform?samples_per_pixel="
            + samplesPerPixel
            + "&bits="
            + bits,
        null,
        null);
  }

  /** Resets the live meters (integrated loudness, maxima, loudness range). */
  public Call<Empty> resetMeters() {
    return r.send("POST", "/api/v1/analysis/meters/reset", null, Empty.parser());
  }
}
