package io.tonearm.daemon.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.analysis.LongTermSpectrum;
import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.EqBand;
import io.tonearm.daemon.dsp.FilterType;
import io.tonearm.daemon.dsp.MatchCurve;
import io.tonearm.daemon.dsp.ParametricEq;
import io.tonearm.daemon.dsp.TrackGain;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.library.RecordingLane;
import io.tonearm.daemon.library.TrackCatalog;
import io.tonearm.proto.v1.EqBandConfig;
import io.tonearm.proto.v1.MatchStatus;
import io.tonearm.proto.v1.ReferenceState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pink noise with the bass up and the treble down, matched toward pink noise tilted the other way:
 * the curve the API reports, applied to the track, removes at least 80% of the 1/3-octave balance
 * difference (RMS over 50 Hz..16 kHz) at intensity 1.
 */
class ReferenceMatchTest {

  private static final int RATE = 44_100;

  @TempDir static Path dir;
  static float[] track;
  static Path trackFile;
  static Path referenceFile;
  static Path brokenFile;

  final Map<String, TrackCatalog.CatalogTrack> tracks = new HashMap<>();
  final LinkedBlockingQueue<Boolean> posted = new LinkedBlockingQueue<>();
  Jobs jobs;
  Enhancement chain;
  ReferenceMatch match;

  /** Pink noise (Paul Kellet's three-pole filter of white noise), mono, about -20 dBFS. */
  private static float[] pink(int n, long seed) {
    Random r = new Random(seed);
    double b0 = 0;
    double b1 = 0;
    double b2 = 0;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double w = r.nextGaussian() * 0.05;
      b0 = 0.99765 * b0 + w * 0.0990460;
      b1 = 0.96300 * b1 + w * 0.2965164;
      b2 = 0.57000 * b2 + w * 1.0526913;
      x[i] = (float) (b0 + b1 + b2 + w * 0.1848);
    }
    return x;
  }

  static float[] tilted(double bassDb, double trebleDb, long seed) {
    float[] x = pink(12 * RATE, seed);
    ParametricEq eq = new ParametricEq();
    eq.prepare(RATE, 1);
    eq.setBands(
        List.of(
            new EqBand(FilterType.LOW_SHELF, 200, bassDb, 0.707),
            new EqBand(FilterType.HIGH_SHELF, 4000, trebleDb, 0.707)));
    eq.process(x, 0, x.length);
    return Arrays.copyOfRange(x, 2 * RATE, x.length); // after the equaliser's glide in
  }

  /** A mono 32-bit float WAV at 44.1 kHz. */
  static Path wav(Path file, float[] samples) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + samples.length * 4).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 3).putShort((short) 1);
    b.putInt(RATE).putInt(RATE * 4).putShort((short) 4).putShort((short) 32);
    b.putInt(0x61746164).putInt(samples.length * 4);
    for (float f : samples) {
      b.putFloat(f);
    }
    return Files.write(file, b.array());
  }

  @BeforeEach
  void setUp() throws Exception {
    if (track == null) {
      track = tilted(6, -6, 1);
      trackFile = wav(dir.resolve("track.wav"), track);
      referenceFile = wav(dir.resolve("reference.wav"), tilted(-6, 6, 2));
      brokenFile = Files.write(dir.resolve("broken.wav"), new byte[] {'R', 'I', 'F', 'F', 1, 2});
    }
    tracks.put(
        "t1",
        new TrackCatalog.CatalogTrack("t1", trackFile, "Track", "", "", 10_000, TrackGain.NONE));
    tracks.put(
        "r1",
        new TrackCatalog.CatalogTrack("r1", referenceFile, "Ref", "", "", 10_000, TrackGain.NONE));
    tracks.put(
        "b1", new TrackCatalog.CatalogTrack("b1", brokenFile, "Broken", "", "", 0, TrackGain.NONE));
    jobs = new Jobs(new RecordingLane(), 1);
    jobs.start();
    chain = new Enhancement();
    match = new ReferenceMatch(catalog(), jobs, chain, this::post);
  }

  private TrackCatalog catalog() {
    return new TrackCatalog() {
      @Override
      public Optional<CatalogTrack> byId(String id) {
        return Optional.ofNullable(tracks.get(id));
      }

      @Override
      public Optional<CatalogTrack> byFile(Path file) {
        return Optional.empty();
      }
    };
  }

  /** As the settings thread: runs the job's results, one at a time. */
  private void post(Supplier<Boolean> change) {
    synchronized (this) {
      posted.add(change.get());
    }
  }

  private void awaitJob() throws Exception {
    assertTrue(posted.poll(60, TimeUnit.SECONDS) != null, "the analysis job reported");
  }

  @AfterEach
  void tearDown() {
    jobs.close();
  }

  private static double distance(double[] centres, double[] a, double[] b) {
    double[] ba = MatchCurve.balance(centres, a);
    double[] bb = MatchCurve.balance(centres, b);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < centres.length; i++) {
      if (centres[i] >= 50 && centres[i] <= 16_000) {
        sum += (ba[i] - bb[i]) * (ba[i] - bb[i]);
        n++;
      }
    }
    return Math.sqrt(sum / n);
  }

  private static double[] ltas(float[] x) {
    LongTermSpectrum s = new LongTermSpectrum(RATE, 1);
    s.accept(x, 0, x.length);
    return s.bandsDb();
  }

  @Test
  void theReportedCurveMovesThePlayingTracksBalanceAtLeastEightyPercentTowardTheReference()
      throws Exception {
    synchronized (this) {
      match.playing("t1");
      assertTrue(match.select("r1", "test"));
      assertEquals(MatchStatus.MATCH_STATUS_ANALYSING, match.state().getStatus());
      assertFalse(match.state().getJobId().isEmpty());
    }
    awaitJob();
    ReferenceState s = match.state();
    assertEquals(MatchStatus.MATCH_STATUS_READY, s.getStatus(), s.getError());
    assertEquals("r1", s.getTrackId());
    assertEquals("t1", s.getMatchedTrackId());
    assertFalse(s.getBandsList().isEmpty());

    List<EqBand> bands = new ArrayList<>();
    for (EqBandConfig b : s.getBandsList()) {
      bands.add(new EqBand(FilterType.PEAKING, b.getFrequencyHz(), b.getGainDb(), b.getQ()));
    }
    ParametricEq eq = new ParametricEq();
    eq.prepare(RATE, 1);
    eq.setBands(bands);
    float[] y = track.clone();
    eq.process(y, 0, y.length);
    double[] centres = LongTermSpectrum.centres(RATE);
    double[] ref = ltas(Arrays.copyOfRange(tilted(-6, 6, 2), 0, track.length));
    double before = distance(centres, ltas(track), ref);
    double after = distance(centres, ltas(Arrays.copyOfRange(y, 2 * RATE, y.length)), ref);
    assertTrue(before > 5, "the balances differ by " + before + " dB RMS");
    assertTrue(after <= 0.2 * before, "from " + before + " to " + after + " dB RMS");

    synchronized (this) {
      assertTrue(match.intensity(0.5));
      for (int i = 0; i < s.getTargetDbCount(); i++) {
        assertEquals(s.getTargetDb(i) / 2, match.state().getTargetDb(i), 1e-9);
      }
      assertTrue(match.select("", "test"));
      assertEquals(ReferenceState.getDefaultInstance(), match.state());
    }
  }

  /**
   * The saved form brings the same curve and level back in a new matcher (a restart) for the same
   * playing track, with no job: both measurements are kept.
   */
  @Test
  void theSavedReferenceRestoresTheSameCurveAndLevelWithoutMeasuringAgain() throws Exception {
    ReferenceState before;
    io.tonearm.proto.v1.SavedReference saved;
    synchronized (this) {
      match.playing("t1");
      match.select("r1", "test");
    }
    awaitJob();
    synchronized (this) {
      before = match.state();
      assertEquals(MatchStatus.MATCH_STATUS_READY, before.getStatus(), before.getError());
      saved = io.tonearm.proto.v1.SavedReference.parseFrom(match.saved().toByteArray());
      assertEquals("r1", saved.getTrackId());
      assertEquals(2, saved.getSpectraCount(), "the reference's and the playing track's");
    }
    Enhancement restartedChain = new Enhancement();
    ReferenceMatch restarted = new ReferenceMatch(catalog(), jobs, restartedChain, this::post);
    synchronized (this) {
      assertFalse(restarted.restore(saved));
      assertEquals(MatchStatus.MATCH_STATUS_IDLE, restarted.state().getStatus());
      assertEquals("r1", restarted.state().getTrackId());
      assertTrue(restarted.playing("t1"));
    }
    ReferenceState after = restarted.state();
    assertEquals(before, after, "the same curve, target and level; no job");
    assertTrue(posted.isEmpty(), "nothing measured again");
    assertEquals(chain.matchLevel(), restartedChain.matchLevel(), 0);
  }

  /**
   * A saved reference the library no longer has is dropped at start with the reason, once: no job,
   * no curve; and one that leaves the library later is dropped the same way.
   */
  @Test
  void aReferenceThatLeftTheLibraryIsDroppedWithTheReason() throws Exception {
    io.tonearm.proto.v1.SavedReference saved =
        io.tonearm.proto.v1.SavedReference.newBuilder().setTrackId("gone").setTitle("Gone").build();
    synchronized (this) {
      assertTrue(match.restore(saved), "dropped: the saved form is to be replaced");
      ReferenceState s = match.state();
      assertEquals(MatchStatus.MATCH_STATUS_OFF, s.getStatus());
      assertEquals("", s.getTrackId());
      assertTrue(s.getError().contains("gone (Gone) is no longer in the library"), s.getError());
      assertFalse(match.playing("t1"), "nothing to match: no job");
      assertEquals(io.tonearm.proto.v1.SavedReference.getDefaultInstance(), match.saved());
      assertTrue(match.select("", "test"), "clearing clears the reason too");
      assertEquals(ReferenceState.getDefaultInstance(), match.state());
    }
    assertTrue(posted.isEmpty());

    synchronized (this) {
      match.select("r1", "test");
    }
    awaitJob();
    synchronized (this) {
      assertEquals(MatchStatus.MATCH_STATUS_READY, match.state().getStatus());
      assertFalse(match.checkReference(), "still in the library");
      tracks.remove("r1");
      assertTrue(match.checkReference());
      assertEquals(MatchStatus.MATCH_STATUS_OFF, match.state().getStatus());
      assertTrue(match.state().getError().contains("r1 (Ref) is no longer in the library"));
      assertTrue(match.bands().isEmpty());
      assertEquals(1f, chain.matchLevel(), 1e-6);
      assertFalse(match.checkReference(), "once");
    }
  }

  @Test
  void anUnknownTrackIsNotFoundAndAnUnreadableReferenceLeavesTheMatchAsItWas() throws Exception {
    synchronized (this) {
      match.playing("t1");
      DomainException e = assertThrows(DomainException.class, () -> match.select("nope", "test"));
      assertEquals(DomainException.Kind.NOT_FOUND, e.kind());
      assertEquals(ReferenceState.getDefaultInstance(), match.state());
      match.select("r1", "test");
    }
    awaitJob();
    ReferenceState ready = match.state();
    assertEquals(MatchStatus.MATCH_STATUS_READY, ready.getStatus());
    synchronized (this) {
      match.select("b1", "test");
    }
    awaitJob();
    ReferenceState s = match.state();
    assertEquals(MatchStatus.MATCH_STATUS_FAILED, s.getStatus());
    assertTrue(s.getError().startsWith("reference b1 cannot be analysed: "), s.getError());
    assertEquals("r1", s.getTrackId());
    assertEquals(ready.getBandsList(), s.getBandsList());
  }

  /**
   * A 1 kHz sine of peak {@code dbfs}, mono, 10 s; if {@code burstDbfs} is below 0, rising each
   * second to that peak along a 50 ms Hann envelope (the spectrum stays in the 1 kHz band).
   */
  private static Path sine(String name, double dbfs, double burstDbfs) throws Exception {
    return wav(dir.resolve(name + ".wav"), sineSamples(dbfs, burstDbfs));
  }

  private static float[] sineSamples(double dbfs, double burstDbfs) {
    float[] x = new float[10 * RATE];
    double a = Math.pow(10, dbfs / 20);
    double peak = Math.pow(10, burstDbfs / 20);
    int burst = RATE / 20;
    for (int i = 0; i < x.length; i++) {
      double env = a;
      int inBurst = i % RATE - RATE / 2;
      if (burstDbfs < 0 && inBurst >= 0 && inBurst < burst) {
        double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * inBurst / burst);
        env = a + (peak - a) * w;
      }
      x[i] = (float) (env * Math.sin(2 * Math.PI * 1000 * i / RATE));
    }
    return x;
  }

  /** What a chain set to {@code s} with the state's bands and level makes of {@code x}, mono. */
  private float[] throughChain(io.tonearm.daemon.dsp.EnhancementSettings s, float[] x) {
    Enhancement e = new Enhancement();
    e.apply(s);
    e.applyMatch(match.bands(), match.gainDb());
    e.prepare(RATE, 1);
    float[] y = x.clone();
    e.process(y, 0, y.length);
    return Arrays.copyOfRange(y, RATE, y.length); // after the chain's start
  }

  private static io.tonearm.daemon.analysis.LoudnessAnalysis.Result measure(float[] y) {
    var meter = new io.tonearm.daemon.analysis.LoudnessAnalysis.Track(RATE, 1);
    meter.accept(y.clone(), 0, y.length);
    return meter.result();
  }

  private void add(String id, Path file) {
    tracks.put(id, new TrackCatalog.CatalogTrack(id, file, id, "", "", 10_000, TrackGain.NONE));
  }

  private ReferenceState matched(String reference, String playing) throws Exception {
    synchronized (this) {
      match.playing(playing);
      assertTrue(match.select(reference, "test"));
    }
    awaitJob();
    ReferenceState s = match.state();
    assertEquals(MatchStatus.MATCH_STATUS_READY, s.getStatus(), s.getError());
    return s;
  }

  /**
   * BS.1770 of a mono 1 kHz sine of peak A dBFS is A - 3.01 LUFS (EBU Tech 3341: a stereo one reads
   * A): a reference at -10 dBFS and a track at -28 dBFS are 18 LU apart, and the chain then plays
   * the track at the reference's loudness; at intensity 0.5, half the change.
   */
  @Test
  void theTrackIsBroughtToTheReferencesIntegratedLoudness() throws Exception {
    add("loud", sine("loud", -10, 0));
    add("quiet", sine("quiet", -28, 0));
    ReferenceState s = matched("loud", "quiet");
    assertEquals(-13.01, s.getReferenceLufs(), 0.05);
    assertEquals(-31.01, s.getTrackLufs(), 0.05);
    assertEquals(-28, s.getTrackTruePeakDbtp(), 0.05);
    // The bands differ from flat only where float rounding noise differs (-150 dB down); what they
    // do to the loudness is counted.
    double eqChange = s.getEqualisedTrackLufs() - s.getTrackLufs();
    assertTrue(Math.abs(eqChange) < 0.5, "" + eqChange);
    assertEquals(18 - eqChange, s.getWantedGainDb(), 0.02);
    assertEquals(s.getWantedGainDb(), s.getGainDb(), 1e-9, "far under the ceiling: all of it");
    assertEquals(-1, s.getCeilingDbtp());
    assertEquals(Math.pow(10, s.getGainDb() / 20), chain.matchLevel(), 1e-4);

    // The track through a chain set as the state says: the reference's loudness.
    float[] y =
        throughChain(
            io.tonearm.daemon.dsp.EnhancementSettings.NEUTRAL.withEnabled(true),
            sineSamples(-28, 0));
    assertEquals(-13.01, measure(y).integratedLufs(), 0.05, "the reference's loudness");

    synchronized (this) {
      assertTrue(match.intensity(0.5));
    }
    ReferenceState half = match.state();
    double halfChange = half.getEqualisedTrackLufs() - half.getTrackLufs();
    assertEquals((18 - halfChange) / 2, half.getWantedGainDb(), 0.02);
    assertEquals(half.getWantedGainDb(), half.getGainDb(), 1e-9);
  }

  /**
   * A quiet sine (-30 dBFS) with a burst to -6 dBFS each second: far quieter than the reference,
   * but its peaks leave 5 dB to the -1 dBTP ceiling (less what the bands add at 1 kHz), so the
   * boost stops there; through a chain without its limiter the true peak then lands on the ceiling.
   */
  @Test
  void aBoostStopsAtTheTruePeakCeiling() throws Exception {
    add("loud", sine("loud2", -3, 0));
    add("peaky", sine("peaky", -30, -6));
    ReferenceState s = matched("loud", "peaky");
    assertEquals(-6, s.getTrackTruePeakDbtp(), 0.05, "the burst's true peak");
    assertTrue(s.getWantedGainDb() > 15, "" + s.getWantedGainDb());
    assertTrue(s.getEqualisedTruePeakDbtp() >= s.getTrackTruePeakDbtp());
    assertEquals(-1 - s.getEqualisedTruePeakDbtp(), s.getGainDb(), 1e-9);
    float[] y =
        throughChain(
            new io.tonearm.daemon.dsp.EnhancementSettings(
                true,
                0,
                List.of(),
                io.tonearm.daemon.dsp.CompressorSettings.NEUTRAL,
                1,
                false, // no limiter: the level alone keeps the ceiling
                -1,
                50,
                0),
            sineSamples(-30, -6));
    assertEquals(-1, measure(y).truePeakDbtp(), 0.15, "bands and level: on the ceiling");
  }

  @Test
  void theGainRuleCutsFreelyBoostsUnderTheCeilingAndIgnoresSilence() {
    assertEquals(-6, MatchCurve.gainDb(-20, -14, 0.5, 1), 1e-12, "a cut is never limited");
    assertEquals(3, MatchCurve.gainDb(-10, -20, -4, 1), 1e-12, "10 wanted, 3 to the ceiling");
    assertEquals(0, MatchCurve.gainDb(-10, -20, 0.3, 1), 1e-12, "already over: no boost");
    assertEquals(2.5, MatchCurve.gainDb(-10, -20, -30, 0.25), 1e-12);
    assertEquals(-20, MatchCurve.gainDb(-40, -5, -1, 1), 1e-12, "limited to 20 dB");
    double silent = Double.NEGATIVE_INFINITY;
    assertEquals(0, MatchCurve.gainDb(silent, -20, -3, 1));
    assertEquals(0, MatchCurve.gainDb(-20, silent, silent, 1));
  }
}
