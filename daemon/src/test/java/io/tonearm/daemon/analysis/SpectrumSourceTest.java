package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tonearm.daemon.events.FrameBody;
import io.tonearm.proto.v1.BandLayout;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.SpectrumFrame;
import io.tonearm.proto.v1.SpectrumMode;
import io.tonearm.proto.v1.SpectrumView;
import io.tonearm.proto.v1.SpectrumWindow;
import io.tonearm.proto.v1.ValueEncoding;
import java.util.Arrays;
import java.util.Random;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpectrumSourceTest {

  private static final int RATE = 48_000;

  private final AnalysisTap tap = new AnalysisTap();
  private final SpectrumSource source = new SpectrumSource(tap.ring());

  private FrameView view(SpectrumView.Builder v) {
    return source.normalize(FrameView.newBuilder().setTopic("spectrum").setSpectrum(v).build());
  }

  /**
   * The frame as the stream sends it: the body the source writes, which must be protobuf's own
   * encoding of the message it parses to (field order, defaults left out, length prefixes).
   */
  private SpectrumFrame render(FrameView v, long now) {
    FrameBody out = new FrameBody();
    assertEquals(Envelope.SPECTRUM_FIELD_NUMBER, source.renderWire(v, now, out));
    byte[] bytes = Arrays.copyOf(out.array(), out.length());
    try {
      SpectrumFrame f = SpectrumFrame.parseFrom(bytes);
      assertArrayEquals(f.toByteArray(), bytes);
      return f;
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "2048, SPECTRUM_WINDOW_HANN",
    "2048, SPECTRUM_WINDOW_BLACKMAN_HARRIS",
    "2048, SPECTRUM_WINDOW_BLACKMAN",
    "8192, SPECTRUM_WINDOW_HANN",
    "32768, SPECTRUM_WINDOW_BLACKMAN_HARRIS",
    "256, SPECTRUM_WINDOW_BLACKMAN"
  })
  void fullScaleSineAtABinCentreReadsZeroDbfs(int size, SpectrumWindow window) {
    int bin = size / 16;
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.sine((double) bin * RATE / size, 0, 1);
    FrameView v = view(SpectrumView.newBuilder().setSize(size).setWindow(window));
    SpectrumFrame f = render(v, out.nextMicros());
    assertEquals(size / 2 + 1, f.getValues().getF32Count());
    assertEquals(0, f.getValues().getF32(bin), 0.1);
    assertTrue(f.getValues().getF32(bin / 2) < -60);
  }

  @Test
  void constantAndNyquistSignalsReadTheirLevelInTheEndBins() {
    // The transform packs DC and Nyquist apart from the other bins, and neither is doubled to a
    // one-sided amplitude: a constant of -6 dBFS reads -6 in bin 0, and the alternating samples of
    // a cosine at half the rate, -12 dBFS, read -12 in bin size/2; each leaves the other end low.
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    int size = 2048;
    FrameView v = view(SpectrumView.newBuilder().setSize(size));
    Signals.sine(RATE, 0, Signals.all(2, -6), 1, Math.PI / 2, 0, out::play);
    SpectrumFrame dc = render(v, out.nextMicros());
    assertEquals(-6, dc.getValues().getF32(0), 0.01);
    assertTrue(dc.getValues().getF32(size / 2) < -60);
    assertTrue(dc.getValues().getF32(size / 4) < -60);
    Signals.sine(RATE, RATE / 2.0, Signals.all(2, -12), 1, Math.PI / 2, RATE, out::play);
    SpectrumFrame nyquist = render(v, out.nextMicros());
    assertEquals(-12, nyquist.getValues().getF32(size / 2), 0.01);
    assertTrue(nyquist.getValues().getF32(0) < -60);
    assertTrue(nyquist.getValues().getF32(size / 4) < -60);
  }

  @Test
  void sineAnywhereInAnOctaveBandReadsItsLevel() {
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.sine(1234.5, -10, 1); // off any bin centre, inside the 1 kHz octave (707-1414 Hz)
    FrameView v =
        view(
            SpectrumView.newBuilder()
                .setLayout(BandLayout.BAND_LAYOUT_OCTAVE)
                .setOctaveFraction(1)
                .setSize(8192));
    SpectrumFrame f = render(v, out.nextMicros());
    int k = f.getCenterHzList().indexOf(1000f);
    assertTrue(k >= 0, f.getCenterHzList().toString());
    assertEquals(-10, f.getValues().getF32(k), 0.1);
    assertTrue(f.getValues().getF32(k + 1) < -40);
  }

  @Test
  void pinkNoiseReadsFlatInThirdOctaveBands() {
    // Pink noise made exactly: random phases, amplitude ~ 1 / sqrt(f), periodic in the FFT length.
    int n = 1 << 16;
    double[] spec = new double[n];
    Random rnd = new Random(7);
    for (int k = 1; k < n / 2; k++) {
      double a = 1 / Math.sqrt(k);
      double ph = rnd.nextDouble() * 2 * Math.PI;
      spec[2 * k] = a * Math.cos(ph);
      spec[2 * k + 1] = a * Math.sin(ph);
    }
    new DoubleFFT_1D(n).realInverse(spec, true);
    double peak = 0;
    for (double x : spec) {
      peak = Math.max(peak, Math.abs(x));
    }
    float[] block = new float[n * 2];
    for (int i = 0; i < n; i++) {
      block[2 * i] = block[2 * i + 1] = (float) (spec[i] / peak * 0.5);
    }
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.play(block, n);
    FrameView v =
        view(
            SpectrumView.newBuilder()
                .setLayout(BandLayout.BAND_LAYOUT_OCTAVE)
                .setOctaveFraction(3)
                .setMinHz(400)
                .setMaxHz(12500)
                .setSize(32768));
    SpectrumFrame f = render(v, out.nextMicros());
    // Bands of 1/3 octave from 400 Hz up hold at least 60 bins: the random phases of the noise
    // leave them within a decibel of their mean (a slope error of 3 dB/octave would fail by far).
    int bands = f.getValues().getF32Count();
    assertEquals(14, bands); // 504 Hz to 10.1 kHz (base-2 mid-band frequencies)
    double mean = 0;
    for (float x : f.getValues().getF32List()) {
      mean += x / bands;
    }
    for (int b = 0; b < bands; b++) {
      assertEquals(mean, f.getValues().getF32(b), 1.0, "band " + f.getCenterHz(b) + " Hz");
    }
  }

  @Test
  void analyserViewFollowsTheWebAudioDefinition() {
    int n = 256;
    double tau = 0.5;
    float[] signal = new float[2 * n];
    Random rnd = new Random(3);
    for (int i = 0; i < signal.length; i++) {
      signal[i] =
          (float) (0.3 * Math.sin(2 * Math.PI * 3000 * i / RATE) + 0.05 * rnd.nextGaussian());
    }
    FrameView v =
        view(
            SpectrumView.newBuilder()
                .setMode(SpectrumMode.SPECTRUM_MODE_ANALYSER)
                .setSize(n)
                .setSmoothing((float) tau)
                .setEncoding(ValueEncoding.VALUE_ENCODING_UINT8));
    FrameView floats =
        view(
            SpectrumView.newBuilder()
                .setMode(SpectrumMode.SPECTRUM_MODE_ANALYSER)
                .setSize(n)
                .setSmoothing((float) tau));
    // Two frames: the first window, then the second, so that smoothing is exercised.
    double[] prev = new double[n / 2];
    FakeOutput out = new FakeOutput(tap, RATE, 1);
    SpectrumFrame bytes = null;
    SpectrumFrame dbs = null;
    for (int frame = 0; frame < 2; frame++) {
      float[] block = java.util.Arrays.copyOfRange(signal, frame * n, frame * n + n);
      out.play(block, n);
      long now = out.nextMicros() - 1;
      bytes = render(v, now);
      dbs = render(floats, now);
      // By hand: Blackman (alpha 0.16), DFT scaled by 1/N, smoothing, dB.
      for (int k = 0; k < n / 2; k++) {
        double re = 0;
        double im = 0;
        for (int j = 0; j < n; j++) {
          double w =
              0.42 - 0.5 * Math.cos(2 * Math.PI * j / n) + 0.08 * Math.cos(4 * Math.PI * j / n);
          re += block[j] * w * Math.cos(2 * Math.PI * k * j / n);
          im -= block[j] * w * Math.sin(2 * Math.PI * k * j / n);
        }
        prev[k] = tau * prev[k] + (1 - tau) * Math.hypot(re, im) / n;
      }
    }
    byte[] got = bytes.getValues().getU8().toByteArray();
    assertEquals(n / 2, got.length);
    int exact = 0;
    for (int k = 0; k < n / 2; k++) {
      double db = 20 * Math.log10(prev[k]);
      assertEquals(db, dbs.getValues().getF32(k), 0.01, "bin " + k);
      int expected = (int) Math.max(0, Math.min(255, Math.floor(255 / 70.0 * (db + 100))));
      int b = got[k] & 0xFF;
      assertTrue(Math.abs(b - expected) <= 1, "bin " + k + ": " + b + " vs " + expected);
      exact += b == expected ? 1 : 0;
    }
    assertTrue(exact >= n / 2 - 2, exact + " exact bytes");
  }

  @Test
  void toneBurstShowsInTheFrameStampedWithItsStartWithinOneFramePeriod() {
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.silence(1);
    long burst = out.nextMicros();
    out.sine(3000, 0, 0.5);
    FrameView v = view(SpectrumView.newBuilder().setSize(2048));
    int bin = (int) Math.round(3000.0 * 2048 / RATE);
    long period = 1_000_000 / 60;
    long firstSeen = -1;
    for (long now = burst - 200_000; now < burst + 200_000; now += period) {
      SpectrumFrame f = render(v, now);
      assertTrue(f.getPresentationUs() <= now);
      if (f.getValues().getF32(bin) > -40) {
        firstSeen = f.getPresentationUs();
        break;
      }
    }
    assertTrue(firstSeen >= burst && firstSeen < burst + period, (firstSeen - burst) + " us");
  }

  @Test
  void identicalViewsShareOneFftPerTick() {
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.sine(1000, -6, 1);
    FrameView a = view(SpectrumView.newBuilder().setSize(4096));
    FrameView b =
        view(
            SpectrumView.newBuilder()
                .setSize(4096)
                .setLayout(BandLayout.BAND_LAYOUT_LOG)
                .setBandCount(32));
    long now = out.nextMicros();
    render(a, now);
    render(b, now);
    // Both views read the same entry: same (size, window, channel) at the same audible end.
    assertEquals(a.getSpectrum().getWindow(), b.getSpectrum().getWindow());
    assertEquals(32, render(b, now).getCenterHzCount());
  }

  @Test
  void analyserAndDbfsViewsOfOneWindowShareATransformAndEachReadsItsOwnScale() {
    // Both views are Blackman, 2048 points, mono: one transform per tick serves both, the dBFS
    // view from its powers, the analyser from magnitudes taken from them once per transform.
    int size = 2048;
    int bin = 128;
    double hz = (double) bin * RATE / size;
    FrameView analyser =
        view(
            SpectrumView.newBuilder()
                .setSize(size)
                .setMode(SpectrumMode.SPECTRUM_MODE_ANALYSER)
                .setSmoothing(0));
    FrameView dbfs =
        view(
            SpectrumView.newBuilder()
                .setSize(size)
                .setWindow(SpectrumWindow.SPECTRUM_WINDOW_BLACKMAN));
    // A bin-centred sine of amplitude A: |X[k]| / N = A a0 / 2 with Blackman's a0 = 0.42.
    double analyserAtFullScale = 20 * Math.log10(0.42 / 2);
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.sine(hz, 0, 1);
    long now = out.nextMicros();
    assertEquals(analyserAtFullScale, render(analyser, now).getValues().getF32(bin), 0.01);
    assertEquals(0, render(dbfs, now).getValues().getF32(bin), 0.01);
    // The next tick, 12 dB quieter, in the other order: the analyser must not read the magnitudes
    // of the tick before.
    out.sine(hz, -12, 1);
    now = out.nextMicros();
    assertEquals(-12, render(dbfs, now).getValues().getF32(bin), 0.01);
    assertEquals(analyserAtFullScale - 12, render(analyser, now).getValues().getF32(bin), 0.01);
  }

  @Test
  void outOfRangeViewsNameTheirLimit() {
    assertLimit(SpectrumView.newBuilder().setSize(100), "32768");
    assertLimit(SpectrumView.newBuilder().setSize(65536), "32768");
    assertLimit(
        SpectrumView.newBuilder().setLayout(BandLayout.BAND_LAYOUT_MEL).setBandCount(5000), "1024");
    assertLimit(
        SpectrumView.newBuilder().setLayout(BandLayout.BAND_LAYOUT_OCTAVE).setOctaveFraction(5),
        "24");
    assertLimit(SpectrumView.newBuilder().setMinDb(-300), "-200");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                source.normalize(FrameView.newBuilder().setTopic("spectrum").setFps(240).build()));
    assertTrue(e.getMessage().contains("120"));
  }

  @Test
  void nanAndInfinityInputGiveFiniteFrames() {
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    float[] bad = new float[8192];
    for (int i = 0; i < bad.length; i++) {
      bad[i] = i % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY;
    }
    out.play(bad, 4096);
    for (BandLayout layout :
        new BandLayout[] {BandLayout.BAND_LAYOUT_LINEAR, BandLayout.BAND_LAYOUT_BARK}) {
      SpectrumFrame f =
          render(
              view(SpectrumView.newBuilder().setLayout(layout).setPeakDecayDbPerS(20)),
              out.nextMicros());
      for (float x : f.getValues().getF32List()) {
        assertTrue(Float.isFinite(x));
      }
      for (float x : f.getPeaks().getF32List()) {
        assertTrue(Float.isFinite(x));
      }
    }
  }

  private void assertLimit(SpectrumView.Builder v, String limit) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> view(v));
    assertTrue(e.getMessage().contains(limit), e.getMessage());
  }
}
