package io.tonearm.daemon.settings;

import io.tonearm.daemon.analysis.LongTermSpectrum;
import io.tonearm.daemon.analysis.LoudnessAnalysis;
import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.decode.StoppableDecoder;
import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.EqBand;
import io.tonearm.daemon.dsp.MatchCurve;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.library.TrackCatalog;
import io.tonearm.daemon.library.TrackCatalog.CatalogTrack;
import io.tonearm.proto.v1.EqBandConfig;
import io.tonearm.proto.v1.FilterShape;
import io.tonearm.proto.v1.MatchStatus;
import io.tonearm.proto.v1.MeasuredSpectrum;
import io.tonearm.proto.v1.ReferenceState;
import io.tonearm.proto.v1.SavedReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reference matching: the reference track and the playing track each get a long-term spectrum
 * (measured by a job on the jobs topic, kept for the last {@value #CACHED} tracks), and from the
 * two {@link MatchCurve} designs the bands the enhancement chain's matching equaliser glides to. A
 * reference that cannot be measured leaves the reference and curve as they were, with the error in
 * the state.
 *
 * <p>Every method runs on the settings thread, under the settings' lock; a job hands its results
 * back through {@code post} (which runs them there and publishes when they return true).
 */
final class ReferenceMatch {

  /** Spectra kept, by track id. */
  static final int CACHED = 64;

  /**
   * A measured track: its rate, band levels, integrated loudness (LUFS, -Infinity when silent under
   * the gate) and true peak (dBTP).
   */
  record Spectrum(
      int sampleRate,
      double[] centres,
      double[] levelsDb,
      double integratedLufs,
      double truePeakDbtp) {}

  private final TrackCatalog catalog;
  private final Jobs jobs;
  private final Enhancement chain;
  private final Consumer<Supplier<Boolean>> post;
  private final Map<String, Spectrum> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Spectrum> e) {
          return size() > CACHED;
        }
      };
  private ReferenceState state = ReferenceState.getDefaultInstance();
  private String playing = "";
  private String pendingReference = "";
  private String pendingTitle = "";
  private double intensity = 1;

  ReferenceMatch(
      TrackCatalog catalog, Jobs jobs, Enhancement chain, Consumer<Supplier<Boolean>> post) {
    this.catalog = catalog;
    this.jobs = jobs;
    this.chain = chain;
    this.post = post;
  }

  ReferenceState state() {
    return state;
  }

  /** The level change applied now after the bands, dB (0 when none). */
  double gainDb() {
    return state.getGainDb();
  }

  /** The bands applied now (empty when none). */
  List<EqBand> bands() {
    List<EqBand> out = new ArrayList<>();
    for (EqBandConfig b : state.getBandsList()) {
      out.add(
          new EqBand(
              io.tonearm.daemon.dsp.FilterType.PEAKING,
              b.getFrequencyHz(),
              b.getGainDb(),
              b.getQ()));
    }
    return out;
  }

  /**
   * What is kept across restarts: the reference, its measurement and the playing track's (so the
   * same curve and level come back without a job). Empty when no reference is chosen.
   */
  SavedReference saved() {
    SavedReference.Builder b = SavedReference.newBuilder();
    if (state.getTrackId().isEmpty()) {
      return b.build();
    }
    b.setTrackId(state.getTrackId()).setTitle(state.getTitle());
    for (String id : new String[] {state.getTrackId(), playing}) {
      Spectrum s = cache.get(id);
      if (s != null && b.getSpectraList().stream().noneMatch(m -> m.getTrackId().equals(id))) {
        b.addSpectra(
            MeasuredSpectrum.newBuilder()
                .setTrackId(id)
                .setSampleRateHz(s.sampleRate())
                .addAllCentresHz(Arrays.stream(s.centres()).boxed().toList())
                .addAllLevelsDb(Arrays.stream(s.levelsDb()).boxed().toList())
                .setIntegratedLufs(s.integratedLufs())
                .setTruePeakDbtp(s.truePeakDbtp()));
      }
    }
    return b.build();
  }

  /**
   * Takes back what {@link #saved} kept (at start, before any other call): the reference waits,
   * {@code MATCH_STATUS_IDLE}, for the playing track. A reference the library no longer has is
   * dropped ({@code MATCH_STATUS_OFF} with the reason in {@code error}); a malformed measurement is
   * measured again when needed. Returns true when the reference was dropped (so the saved form
   * should be replaced).
   */
  boolean restore(SavedReference r) {
    if (r.getTrackId().isEmpty()) {
      return false;
    }
    if (catalog.byId(r.getTrackId()).isEmpty()) {
      state = gone(r.getTrackId(), r.getTitle());
      return true;
    }
    for (MeasuredSpectrum m : r.getSpectraList()) {
      if (m.getSampleRateHz() > 0
          && m.getCentresHzCount() > 0
          && m.getCentresHzCount() == m.getLevelsDbCount()) {
        cache.put(
            m.getTrackId(),
            new Spectrum(
                m.getSampleRateHz(),
                m.getCentresHzList().stream().mapToDouble(Double::doubleValue).toArray(),
                m.getLevelsDbList().stream().mapToDouble(Double::doubleValue).toArray(),
                m.getIntegratedLufs(),
                m.getTruePeakDbtp()));
      }
    }
    state =
        ReferenceState.newBuilder()
            .setTrackId(r.getTrackId())
            .setTitle(r.getTitle())
            .setStatus(MatchStatus.MATCH_STATUS_IDLE)
            .build();
    return false;
  }

  /**
   * The library changed: a reference it no longer has is dropped, with the reason in the state
   * ({@code MATCH_STATUS_OFF}, {@code error}), and its curve removed. True when the state changed.
   */
  boolean checkReference() {
    String id = state.getTrackId();
    if (id.isEmpty() || catalog.byId(id).isPresent()) {
      return false;
    }
    chain.applyMatch(List.of());
    cache.remove(id);
    state = gone(id, state.getTitle());
    return true;
  }

  private static ReferenceState gone(String trackId, String title) {
    return ReferenceState.newBuilder()
        .setStatus(MatchStatus.MATCH_STATUS_OFF)
        .setError(
            "reference "
                + trackId
                + " ("
                + title
                + ") is no longer in the library: reference matching is off")
        .build();
  }

  /**
   * Chooses {@code trackId} as the reference (empty: none). 404 for a track the library does not
   * have. Returns true when the state changed.
   */
  boolean select(String trackId, String origin) {
    if (trackId.isEmpty()) {
      pendingReference = "";
      if (state.equals(ReferenceState.getDefaultInstance())) {
        return false;
      }
      chain.applyMatch(List.of());
      state = ReferenceState.getDefaultInstance();
      return true;
    }
    CatalogTrack t =
        catalog.byId(trackId).orElseThrow(() -> DomainException.notFound("track", trackId));
    if (trackId.equals(state.getTrackId()) && pendingReference.isEmpty()) {
      return false;
    }
    pendingReference = trackId;
    pendingTitle = t.title();
    if (cache.containsKey(trackId)) {
      return adoptReference();
    }
    return measure(origin);
  }

  /**
   * The playing library track is now {@code trackId} (empty: none). True when the state changed.
   */
  boolean playing(String trackId) {
    if (trackId.equals(playing)) {
      return false;
    }
    playing = trackId;
    if (state.getTrackId().isEmpty() && pendingReference.isEmpty()) {
      return false;
    }
    return update("");
  }

  /** The enhancement intensity is now {@code t}. True when the curve changed. */
  boolean intensity(double t) {
    if (t == intensity) {
      return false;
    }
    intensity = t;
    return state.getStatus() == MatchStatus.MATCH_STATUS_READY && update("");
  }

  /** The pending reference was measured: it becomes the reference. */
  private boolean adoptReference() {
    state =
        state.toBuilder().setTrackId(pendingReference).setTitle(pendingTitle).setError("").build();
    pendingReference = "";
    return update("");
  }

  /**
   * Applies the curve for the playing track when both spectra are known; otherwise measures what is
   * missing, with no curve meanwhile (the old one was for another track).
   */
  private boolean update(String origin) {
    ReferenceState before = state;
    Spectrum ref = cache.get(state.getTrackId());
    if (ref == null) {
      return measure(origin);
    }
    ReferenceState.Builder b =
        state.toBuilder()
            .clearCentresHz()
            .clearReferenceDb()
            .clearTrackDb()
            .clearTargetDb()
            .clearBands()
            .clearReferenceLufs()
            .clearTrackLufs()
            .clearEqualisedTrackLufs()
            .clearTrackTruePeakDbtp()
            .clearEqualisedTruePeakDbtp()
            .clearWantedGainDb()
            .clearGainDb()
            .clearCeilingDbtp()
            .setMatchedTrackId("")
            .setJobId("");
    if (playing.isEmpty() || catalog.byId(playing).isEmpty()) {
      chain.applyMatch(List.of());
      state = b.setStatus(MatchStatus.MATCH_STATUS_IDLE).build();
      return !state.equals(before);
    }
    Spectrum item = cache.get(playing);
    if (item == null) {
      chain.applyMatch(List.of());
      state = b.build();
      return measure(origin) || !state.equals(before);
    }
    int n = Math.min(ref.centres().length, item.centres().length);
    double[] centres = Arrays.copyOf(item.centres(), n);
    double[] itemDb = Arrays.copyOf(item.levelsDb(), n);
    double[] refDb = Arrays.copyOf(ref.levelsDb(), n);
    double[] target = MatchCurve.target(centres, itemDb, refDb, intensity);
    List<EqBand> bands = MatchCurve.fit(centres, target, item.sampleRate());
    // The level is set for the track as the bands leave it: their own loudness change counts.
    double equalised =
        item.integratedLufs()
            + MatchCurve.loudnessChangeDb(centres, itemDb, bands, item.sampleRate());
    double equalisedPeak =
        item.truePeakDbtp() + MatchCurve.peakBoostDb(centres, itemDb, bands, item.sampleRate());
    double gain = MatchCurve.gainDb(ref.integratedLufs(), equalised, equalisedPeak, intensity);
    chain.applyMatch(bands, gain);
    b.setReferenceLufs(lufs(ref.integratedLufs()))
        .setTrackLufs(lufs(item.integratedLufs()))
        .setEqualisedTrackLufs(lufs(equalised))
        .setTrackTruePeakDbtp(lufs(item.truePeakDbtp()))
        .setEqualisedTruePeakDbtp(lufs(equalisedPeak))
        .setWantedGainDb(MatchCurve.wantedGainDb(ref.integratedLufs(), equalised, intensity))
        .setGainDb(gain)
        .setCeilingDbtp(MatchCurve.CEILING_DBTP);
    double[] refBalance = MatchCurve.balance(centres, refDb);
    double[] itemBalance = MatchCurve.balance(centres, itemDb);
    for (int i = 0; i < n; i++) {
      b.addCentresHz(centres[i])
          .addReferenceDb(refBalance[i])
          .addTrackDb(itemBalance[i])
          .addTargetDb(target[i]);
    }
    for (EqBand e : bands) {
      b.addBands(
          EqBandConfig.newBuilder()
              .setShape(FilterShape.FILTER_SHAPE_PEAKING)
              .setFrequencyHz(e.frequencyHz())
              .setGainDb(e.gainDb())
              .setQ(e.q()));
    }
    state = b.setStatus(MatchStatus.MATCH_STATUS_READY).setMatchedTrackId(playing).build();
    return !state.equals(before);
  }

  /** Starts a job measuring the pending reference and the playing track, whichever is unknown. */
  private boolean measure(String origin) {
    List<String> ids = new ArrayList<>();
    String ref = pendingReference.isEmpty() ? state.getTrackId() : pendingReference;
    if (!ref.isEmpty() && !cache.containsKey(ref)) {
      ids.add(ref);
    }
    if (!playing.isEmpty() && !cache.containsKey(playing) && !ids.contains(playing)) {
      if (catalog.byId(playing).isPresent()) {
        ids.add(playing);
      }
    }
    if (ids.isEmpty()) {
      return false;
    }
    Map<String, Path> files = new LinkedHashMap<>();
    for (String id : ids) {
      catalog.byId(id).ifPresent(t -> files.put(id, t.file()));
    }
    Jobs.Submitted job;
    try {
      job =
          jobs.submit(
              "settings.reference",
              "Long-term spectrum of " + files.size() + " track(s) for reference matching",
              origin,
              ctx -> {
                ctx.total(files.size());
                Map<String, Spectrum> measured = new LinkedHashMap<>();
                Map<String, String> failed = new LinkedHashMap<>();
                for (Map.Entry<String, Path> f : files.entrySet()) {
                  ctx.checkCancelled();
                  try {
                    measured.put(f.getKey(), spectrum(f.getValue(), ctx::cancelled));
                  } catch (IOException | RuntimeException e) {
                    ctx.checkCancelled();
                    failed.put(f.getKey(), e.getMessage() == null ? e.toString() : e.getMessage());
                    ctx.error(f.getValue().getFileName().toString(), failed.get(f.getKey()));
                  }
                  ctx.advance(f.getValue().getFileName().toString());
                }
                post.accept(() -> measured(measured, failed));
              });
    } catch (IllegalStateException e) {
      throw new DomainException(DomainException.Kind.UNAVAILABLE, "unavailable", e.getMessage());
    }
    state =
        state.toBuilder()
            .setStatus(MatchStatus.MATCH_STATUS_ANALYSING)
            .setJobId(job.jobId())
            .setError("")
            .build();
    return true;
  }

  /** A job's results, on the settings thread. */
  private boolean measured(Map<String, Spectrum> measured, Map<String, String> failed) {
    cache.putAll(measured);
    ReferenceState before = state;
    if (!pendingReference.isEmpty() && failed.containsKey(pendingReference)) {
      String why =
          "reference " + pendingReference + " cannot be analysed: " + failed.get(pendingReference);
      pendingReference = "";
      state =
          state.toBuilder()
              .setStatus(MatchStatus.MATCH_STATUS_FAILED)
              .setError(why)
              .setJobId("")
              .build();
      if (!state.getTrackId().isEmpty() && cache.containsKey(state.getTrackId())) {
        update(""); // the earlier reference stays, with its curve for the playing track
        state = state.toBuilder().setStatus(MatchStatus.MATCH_STATUS_FAILED).setError(why).build();
      }
      return !state.equals(before);
    }
    if (!pendingReference.isEmpty() && cache.containsKey(pendingReference)) {
      return adoptReference() || !state.equals(before);
    }
    if (failed.containsKey(playing)) {
      chain.applyMatch(List.of());
      state =
          state.toBuilder()
              .setStatus(MatchStatus.MATCH_STATUS_FAILED)
              .setError("track " + playing + " cannot be analysed: " + failed.get(playing))
              .setJobId("")
              .build();
      return !state.equals(before);
    }
    if (state.getTrackId().isEmpty()) {
      return false; // cleared meanwhile
    }
    return update("") || !state.equals(before);
  }

  /** A level for the state: -1000 for silence (-Infinity), which JSON cannot carry. */
  private static double lufs(double v) {
    return Double.isFinite(v) ? v : -1000;
  }

  /**
   * The long-term spectrum, integrated loudness and true peak of {@code file}: every frame decoded
   * once.
   *
   * @throws IOException when it cannot be decoded, or is shorter than one analysis segment
   */
  static Spectrum spectrum(Path file, BooleanSupplier cancelled) throws IOException {
    try (Decoder d = new StoppableDecoder(Decoders.open(file), cancelled)) {
      AudioFormat f = d.format();
      LongTermSpectrum lts = new LongTermSpectrum(f.sampleRate(), f.channels());
      LoudnessAnalysis.Track loudness = new LoudnessAnalysis.Track(f.sampleRate(), f.channels());
      float[] buf = new float[4096 * f.channels()];
      long frames = 0;
      for (int n; (n = d.read(buf, 0, 4096)) > 0; ) {
        lts.accept(buf, 0, n);
        loudness.accept(buf, 0, n);
        frames += n;
      }
      double[] db = lts.bandsDb();
      if (Arrays.stream(db).allMatch(v -> v <= -200)) {
        throw new IOException(
            frames < LongTermSpectrum.SEGMENT_FRAMES
                ? "too short to analyse (" + frames + " frames)"
                : "silent: no spectrum to match");
      }
      LoudnessAnalysis.Result r = loudness.result();
      return new Spectrum(f.sampleRate(), lts.centres(), db, r.integratedLufs(), r.truePeakDbtp());
    }
  }
}
