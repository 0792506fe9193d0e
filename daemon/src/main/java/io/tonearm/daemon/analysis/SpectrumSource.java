package io.tonearm.daemon.analysis;

import io.tonearm.daemon.events.FrameBody;
import io.tonearm.daemon.events.WireFrameSource;
import io.tonearm.proto.v1.BandLayout;
import io.tonearm.proto.v1.ChannelSelect;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.SpectrumFrame;
import io.tonearm.proto.v1.SpectrumMode;
import io.tonearm.proto.v1.SpectrumView;
import io.tonearm.proto.v1.SpectrumWindow;
import io.tonearm.proto.v1.ValueEncoding;
import io.tonearm.proto.v1.Weighting;

/**
 * Topic "spectrum": the spectrum of the window of played samples that ends at the sample heard at
 * the tick's time. FFTs are shared between views of one tick; each view keeps its band map,
 * smoothing and peak state, made on its first frame. Ticker thread only.
 */
public final class SpectrumSource implements WireFrameSource {

  static final int MIN_SIZE = 256;
  static final int MAX_SIZE = 32768;
  static final int MAX_BANDS = 1024;

  private final PlayedRing ring;
  private final FftBank ffts;
  private final ViewCache<ViewState> states = new ViewCache<>();

  public SpectrumSource(PlayedRing ring) {
    this.ring = ring;
    this.ffts = new FftBank(ring);
  }

  @Override
  public FrameView normalize(FrameView requested) {
    FrameView.Builder out = Views.common(requested, "spectrum");
    SpectrumView r = requested.getSpectrum();
    SpectrumView.Builder v = SpectrumView.newBuilder();
    int size = r.getSize() == 0 ? 2048 : r.getSize();
    if (size < MIN_SIZE || size > MAX_SIZE || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException(
          "size must be a power of two from " + MIN_SIZE + " to " + MAX_SIZE + ": " + size);
    }
    v.setSize(size);
    boolean analyser = r.getMode() == SpectrumMode.SPECTRUM_MODE_ANALYSER;
    v.setMode(analyser ? SpectrumMode.SPECTRUM_MODE_ANALYSER : SpectrumMode.SPECTRUM_MODE_DBFS);
    v.setChannel(
        r.getChannel() == ChannelSelect.CHANNEL_SELECT_UNSPECIFIED
            ? ChannelSelect.CHANNEL_SELECT_MONO
            : r.getChannel());
    v.setEncoding(
        r.getEncoding() == ValueEncoding.VALUE_ENCODING_UNSPECIFIED
            ? ValueEncoding.VALUE_ENCODING_FLOAT32
            : r.getEncoding());
    float minDb = r.hasMinDb() ? r.getMinDb() : -100;
    float maxDb = r.hasMaxDb() ? r.getMaxDb() : analyser ? -30 : 0;
    Views.range("min_db", minDb, -200, 0);
    Views.range("max_db", maxDb, minDb + 1, 20);
    v.setMinDb(minDb).setMaxDb(maxDb);
    if (analyser) {
      // The AnalyserNode has no bands, weighting or peaks; its window is always Blackman.
      float s = r.hasSmoothing() ? r.getSmoothing() : 0.8f;
      v.setSmoothing(Views.range("smoothing", s, 0, 1));
      v.setWindow(SpectrumWindow.SPECTRUM_WINDOW_BLACKMAN);
      v.setLayout(BandLayout.BAND_LAYOUT_LINEAR);
      v.setWeighting(Weighting.WEIGHTING_NONE);
      return out.setSpectrum(v).build();
    }
    v.setWindow(
        r.getWindow() == SpectrumWindow.SPECTRUM_WINDOW_UNSPECIFIED
            ? SpectrumWindow.SPECTRUM_WINDOW_HANN
            : r.getWindow());
    v.setSmoothing(Views.range("smoothing", r.getSmoothing(), 0, 0.99f));
    v.setPeakDecayDbPerS(Views.range("peak_decay_db_per_s", r.getPeakDecayDbPerS(), 0, 1000));
    v.setWeighting(
        r.getWeighting() == Weighting.WEIGHTING_UNSPECIFIED
            ? Weighting.WEIGHTING_NONE
            : r.getWeighting());
    BandLayout layout =
        r.getLayout() == BandLayout.BAND_LAYOUT_UNSPECIFIED
            ? BandLayout.BAND_LAYOUT_LINEAR
            : r.getLayout();
    v.setLayout(layout);
    if (layout != BandLayout.BAND_LAYOUT_LINEAR) {
      float min = r.getMinHz() == 0 ? 20 : r.getMinHz();
      float max = r.getMaxHz() == 0 ? 20000 : r.getMaxHz();
      Views.range("min_hz", min, 1, 384_000);
      Views.range("max_hz", max, min * 1.01f, 384_000);
      v.setMinHz(min).setMaxHz(max);
      if (layout == BandLayout.BAND_LAYOUT_OCTAVE) {
        int b = r.getOctaveFraction() == 0 ? 3 : r.getOctaveFraction();
        if (b != 1 && b != 2 && b != 3 && b != 6 && b != 12 && b != 24) {
          throw new IllegalArgumentException("octave_fraction must be 1, 2, 3, 6, 12 or 24: " + b);
        }
        v.setOctaveFraction(b).setOctaveBase10(r.getOctaveBase10());
      } else {
        int n = r.getBandCount() == 0 ? 64 : r.getBandCount();
        if (n < 2 || n > MAX_BANDS) {
          throw new IllegalArgumentException("band_count must be 2.." + MAX_BANDS + ": " + n);
        }
        v.setBandCount(n);
      }
    }
    return out.setSpectrum(v).build();
  }

  /** A spectrum frame transforms {@code size} samples. */
  @Override
  public long frameCost(FrameView view) {
    return Math.max(MIN_FRAME_COST, view.getSpectrum().getSize());
  }

  @Override
  public int renderWire(FrameView view, long nowMicros, FrameBody out) {
    long end = ring.freshEnd(nowMicros);
    if (end <= 0) {
      return 0;
    }
    long heard = ring.micros(end - 1, nowMicros);
    int rate = ring.rateAt(end);
    ViewState s = states.get(view, nowMicros, NEW_STATE);
    SpectrumView v = view.getSpectrum();
    if (s.fft == null) {
      s.fft = ffts.entry(v.getSize(), v.getWindow(), v.getChannel());
    }
    FftBank.Entry e = s.fft.at(end);
    out.int64(SpectrumFrame.PRESENTATION_US_FIELD_NUMBER, heard);
    out.uint32(SpectrumFrame.SAMPLE_RATE_FIELD_NUMBER, rate);
    if (v.getMode() == SpectrumMode.SPECTRUM_MODE_ANALYSER) {
      s.analyser(e, out);
    } else {
      s.dbfs(e, rate, nowMicros, out);
    }
    return Envelope.SPECTRUM_FIELD_NUMBER;
  }

  /**
   * A new view's state. A constant rather than a lambda at the call: the quick JIT compiler links
   * an invokedynamic call site's lambda through a method-handle call on every frame.
   */
  private static final java.util.function.Function<FrameView, ViewState> NEW_STATE =
      v -> new ViewState(v.getSpectrum());

  /** One view's buffers and state across frames. */
  private static final class ViewState {
    private final SpectrumView v;
    private final float[] smoothed;
    private float[] smoothedBands;
    private float[] values;
    private byte[] bytes;
    private float[] peaks;
    private BandMap map;
    private float[] weight; // per bin: one-sided squared-amplitude scale times the weighting
    private int mapRate;
    private long lastFrame;

    /** The view's transform, looked up on its first frame (one per key, shared between views). */
    private FftBank.Entry fft;

    /**
     * Band powers below this read the display floor, max(min_db, FLOOR_DB), without a logarithm:
     * 0.1% under the floor's power, so that 10 log10 of any of them (about 0.004 dB below the
     * floor, far more than a float's rounding there) would round to below it too. Exact; the
     * logarithm is the largest cost of a linear view, and its quiet upper bins are often below.
     */
    private final double quiet;

    ViewState(SpectrumView v) {
      this.v = v;
      quiet = Math.pow(10, Math.max(v.getMinDb(), Loudness.FLOOR_DB) / 10.0) * 0.999;
      smoothed = new float[v.getSize() / 2 + 1];
    }

    /**
     * W3C Web Audio API, AnalyserNode "FFT windowing and smoothing over time": Blackman window
     * (alpha 0.16), X[k] = (1/N) sum x[n] w[n] e^(-2 pi i k n / N) for k < N/2, X^[k] = tau
     * X^prev[k] + (1 - tau) |X[k]| (a non-finite result becomes 0), Y[k] = 20 log10 X^[k],
     * getByteFrequencyData b[k] = floor(255 / (max - min) * (Y[k] - min)) clamped to 0..255.
     */
    void analyser(FftBank.Entry e, FrameBody out) {
      int n = e.size();
      int bins = n / 2;
      double tau = v.getSmoothing();
      float min = v.getMinDb();
      float max = v.getMaxDb();
      if (values == null) {
        values = new float[bins];
      }
      float[] mag = e.magnitudes();
      for (int k = 0; k < bins; k++) {
        double x = tau * smoothed[k] + (1 - tau) * (mag[k] / n);
        smoothed[k] = Double.isFinite(x) ? (float) x : 0f;
        values[k] = Loudness.floor(20 * Math.log10(smoothed[k]));
      }
      if (v.getEncoding() == ValueEncoding.VALUE_ENCODING_UINT8) {
        if (bytes == null) {
          bytes = new byte[bins];
        }
        double scale = 255.0 / (max - min);
        for (int k = 0; k < bins; k++) {
          double b = Math.floor(scale * (values[k] - min));
          bytes[k] = (byte) (int) Math.max(0, Math.min(255, b));
        }
        Views.seriesU8(out, SpectrumFrame.VALUES_FIELD_NUMBER, bytes, bins);
      } else {
        Views.series(
            out, SpectrumFrame.VALUES_FIELD_NUMBER, v.getEncoding(), values, bins, min, max);
      }
    }

    void dbfs(FftBank.Entry e, int rate, long nowMicros, FrameBody out) {
      int n = e.size();
      if (map == null || mapRate != rate) {
        map = new BandMap(v, n, rate);
        mapRate = rate;
        values = new float[map.bands];
        peaks = new float[map.bands];
        java.util.Arrays.fill(peaks, Loudness.FLOOR_DB);
        smoothedBands = new float[map.bands];
        // One-sided amplitude: 2 |X| / (N * coherent gain), so power |X|^2 times its square; DC
        // and Nyquist are not doubled. Folded with the weighting into one factor per bin.
        double scale = 2.0 / (n * e.window.coherentGain);
        weight = new float[map.binGain.length];
        for (int k = 0; k < weight.length; k++) {
          weight[k] = (float) (scale * scale * map.binGain[k]);
        }
        weight[0] *= 0.25f;
        weight[weight.length - 1] *= 0.25f;
      }
      float s = v.getSmoothing();
      float lo = v.getMinDb();
      float hi = v.getMaxDb();
      float floor = Math.max(lo, Loudness.FLOOR_DB);
      float[] x = e.spectrum;
      if (map.lo == null) {
        FftBank.Entry.weightedPowers(x, weight, values); // a linear view's bins
      } else {
        map.powers(x, weight, e.window.enbw, values);
      }
      for (int b = 0; b < map.bands; b++) {
        float p = values[b];
        if (s > 0) {
          p = s * smoothedBands[b] + (1 - s) * p;
          smoothedBands[b] = p;
        }
        if (p < quiet) {
          values[b] = floor;
        } else {
          // A comparison, not Math.max, which the quick JIT compiler calls: the value is finite
          // and never -0 (p is at least the quiet level), so the result is Math.max's.
          float db = Loudness.floor(10 * Math.log10(p));
          values[b] = db >= lo ? db : lo;
        }
      }
      Views.series(
          out, SpectrumFrame.VALUES_FIELD_NUMBER, v.getEncoding(), values, map.bands, lo, hi);
      if (v.getPeakDecayDbPerS() > 0) {
        double dt = lastFrame == 0 ? 0 : Math.min(1.0, (nowMicros - lastFrame) / 1e6);
        float fall = (float) (v.getPeakDecayDbPerS() * dt);
        for (int b = 0; b < map.bands; b++) {
          peaks[b] = Math.max(values[b], Math.max(lo, peaks[b] - fall));
        }
        Views.series(
            out, SpectrumFrame.PEAKS_FIELD_NUMBER, v.getEncoding(), peaks, map.bands, lo, hi);
      }
      lastFrame = nowMicros;
      out.floats(SpectrumFrame.CENTER_HZ_FIELD_NUMBER, map.centres, map.centres.length);
    }
  }
}
