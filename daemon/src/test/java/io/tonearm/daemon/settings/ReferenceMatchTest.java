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

  private static float[] tilted(double bassDb, double trebleDb, long seed) {
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

  private static Path wav(Path file, float[] samples) throws Exception {
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
    TrackCatalog catalog =
        new TrackCatalog() {
          @Override
          public Optional<CatalogTrack> byId(String id) {
            return Optional.ofNullable(tracks.get(id));
          }

          @Override
          public Optional<CatalogTrack> byFile(Path file) {
            return Optional.empty();
          }
        };
    jobs = new Jobs(new RecordingLane(), 1);
    jobs.start();
    match = new ReferenceMatch(catalog, jobs, new Enhancement(), this::post);
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
}
