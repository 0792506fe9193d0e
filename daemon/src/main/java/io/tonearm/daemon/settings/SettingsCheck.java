package io.tonearm.daemon.settings;

import io.tonearm.daemon.audio.Transition;
import io.tonearm.daemon.dsp.EnhancementSettings;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.proto.v1.ChainConfig;
import io.tonearm.proto.v1.CompressorConfig;
import io.tonearm.proto.v1.CrossfadeConfig;
import io.tonearm.proto.v1.EqBandConfig;
import io.tonearm.proto.v1.FilterShape;
import io.tonearm.proto.v1.LimiterConfig;
import java.util.regex.Pattern;

/**
 * The stated range of every setting. A value outside it (NaN included) is a 422 {@code
 * out_of_range} naming the field (e.g. {@code custom.bands[2].q}) and its range; nothing is
 * applied.
 */
final class SettingsCheck {

  /** Highest band frequency: below the Nyquist frequency of 44.1 kHz, the lowest common rate. */
  static final double MAX_HZ = 20_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9 _-]{1,40}");

  private SettingsCheck() {}

  static void intensity(double v) {
    range("intensity", v, 0, 1, "0..1");
  }

  static void crossfade(CrossfadeConfig c) {
    range("seconds", c.getSeconds(), 0, Transition.MAX_OVERLAP_SECONDS, "0..30 s");
    range("mixramp_db", c.getMixrampDb(), -96, 0, "-96..0 dB");
    range(
        "mixramp_delay_seconds",
        c.getMixrampDelaySeconds(),
        -Transition.MAX_OVERLAP_SECONDS,
        Transition.MAX_OVERLAP_SECONDS,
        "-30..30 s (0 or less: MixRamp off)");
  }

  static void presetName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw DomainException.outOfRange("name", name, "1..40 letters, digits, space, '-' or '_'");
    }
  }

  static void chain(String at, ChainConfig c) {
    range(at + "input_gain_db", c.getInputGainDb(), -24, 24, "-24..24 dB");
    if (c.getBandsCount() > EnhancementSettings.MAX_BANDS) {
      throw DomainException.outOfRange(
          at + "bands", c.getBandsCount() + " bands", "at most " + EnhancementSettings.MAX_BANDS);
    }
    for (int i = 0; i < c.getBandsCount(); i++) {
      band(at + "bands[" + i + "].", c.getBands(i));
    }
    compressor(at + "compressor.", c.getCompressor());
    range(at + "width", c.getWidth(), 0, 2, "0..2");
    limiter(at + "limiter.", c.getLimiter());
    range(at + "output_gain_db", c.getOutputGainDb(), -24, 0, "-24..0 dB");
  }

  private static void band(String at, EqBandConfig b) {
    if (b.getShape() == FilterShape.UNRECOGNIZED) {
      throw DomainException.outOfRange(at + "shape", b.getShapeValue(), "a FILTER_SHAPE_ value");
    }
    range(
        at + "frequency_hz",
        b.getFrequencyHz(),
        10,
        MAX_HZ,
        "10..20000 Hz (below the Nyquist frequency of 44.1 kHz)");
    range(at + "gain_db", b.getGainDb(), -24, 24, "-24..24 dB");
    range(at + "q", b.getQ(), 0.1, 10, "0.1..10");
  }

  private static void compressor(String at, CompressorConfig k) {
    range(at + "threshold_db", k.getThresholdDb(), -60, 0, "-60..0 dBFS");
    range(at + "ratio", k.getRatio(), 1, 20, "1..20");
    range(at + "knee_db", k.getKneeDb(), 0, 24, "0..24 dB");
    range(at + "attack_ms", k.getAttackMs(), 0.1, 200, "0.1..200 ms");
    range(at + "release_ms", k.getReleaseMs(), 1, 2000, "1..2000 ms");
    range(at + "makeup_db", k.getMakeupDb(), 0, 24, "0..24 dB");
  }

  private static void limiter(String at, LimiterConfig l) {
    range(at + "ceiling_dbtp", l.getCeilingDbtp(), -12, 0, "-12..0 dBTP");
    range(at + "release_ms", l.getReleaseMs(), 1, 1000, "1..1000 ms");
  }

  private static void range(String field, double v, double lo, double hi, String range) {
    if (!(v >= lo && v <= hi)) { // NaN fails too
      throw DomainException.outOfRange(field, v, range);
    }
  }
}
