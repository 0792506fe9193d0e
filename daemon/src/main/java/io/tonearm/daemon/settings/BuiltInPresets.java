package io.tonearm.daemon.settings;

import io.tonearm.daemon.dsp.CompressorSettings;
import io.tonearm.daemon.dsp.EnhancementSettings;
import io.tonearm.daemon.dsp.EqBand;
import io.tonearm.daemon.dsp.FilterType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's own presets, each at intensity 1. Moderate by design: at full intensity none adds
 * more than about 6 dB anywhere, and every one ends in the limiter at -1 dBTP.
 */
final class BuiltInPresets {

  private BuiltInPresets() {}

  private static EqBand peak(double hz, double db, double q) {
    return new EqBand(FilterType.PEAKING, hz, db, q);
  }

  private static EqBand lowShelf(double hz, double db) {
    return new EqBand(FilterType.LOW_SHELF, hz, db, 0.707);
  }

  private static EqBand highShelf(double hz, double db) {
    return new EqBand(FilterType.HIGH_SHELF, hz, db, 0.707);
  }

  private static CompressorSettings comp(
      boolean rms, double threshold, double ratio, double attack, double release, double makeup) {
    return new CompressorSettings(rms, threshold, ratio, 8, attack, release, makeup);
  }

  private static EnhancementSettings chain(
      double inputDb, List<EqBand> bands, CompressorSettings c, double width) {
    return new EnhancementSettings(true, inputDb, bands, c, width, true, -1, 50, 0);
  }

  /** By name, in the order clients list them. */
  static final Map<String, EnhancementSettings> ALL = build();

  private static Map<String, EnhancementSettings> build() {
    Map<String, EnhancementSettings> m = new LinkedHashMap<>();
    m.put(
        "gentle",
        chain(
            0,
            List.of(lowShelf(90, 1.5), highShelf(10_000, 1.5)),
            comp(false, -24, 1.5, 20, 250, 1),
            1));
    m.put(
        "warm",
        chain(
            0,
            List.of(lowShelf(150, 3), peak(3_500, -1.5, 1), highShelf(9_000, -2)),
            comp(false, -22, 2, 20, 200, 1.5),
            1));
    m.put(
        "bright",
        chain(
            0,
            List.of(
                new EqBand(FilterType.HIGH_PASS, 25, 0, 0.707),
                peak(250, -1.5, 1),
                highShelf(6_000, 4)),
            comp(false, -20, 1.5, 10, 150, 0.5),
            1.1));
    m.put(
        "punchy",
        chain(
            0,
            List.of(peak(80, 3, 1.2), peak(400, -2, 1), peak(4_000, 2, 1)),
            comp(false, -20, 4, 15, 120, 3),
            1.1));
    m.put(
        "loud",
        chain(
            2,
            List.of(lowShelf(60, 1.5), highShelf(12_000, 1.5)),
            comp(false, -24, 3, 5, 100, 6),
            1));
    m.put(
        "spoken word",
        chain(
            0,
            List.of(
                new EqBand(FilterType.HIGH_PASS, 80, 0, 0.707),
                lowShelf(200, -2),
                peak(3_000, 3, 1)),
            comp(true, -26, 3, 10, 200, 4),
            0.6));
    return Collections.unmodifiableMap(m);
  }
}
