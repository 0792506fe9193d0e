package io.tonearm.daemon.settings;

import io.tonearm.daemon.dsp.CompressorSettings;
import io.tonearm.daemon.dsp.EnhancementSettings;
import io.tonearm.daemon.dsp.EqBand;
import io.tonearm.daemon.dsp.FilterType;
import io.tonearm.proto.v1.ChainConfig;
import io.tonearm.proto.v1.CompressorConfig;
import io.tonearm.proto.v1.EqBandConfig;
import io.tonearm.proto.v1.FilterShape;
import io.tonearm.proto.v1.LimiterConfig;

/** Chains between their wire form and the engine's; the engine never sees protobuf. */
final class ChainProtos {

  private ChainProtos() {}

  /** A checked {@link ChainConfig} as the engine's settings (switched on or off). */
  static EnhancementSettings toEngine(ChainConfig c, boolean enabled) {
    CompressorConfig k = c.getCompressor();
    LimiterConfig l = c.getLimiter();
    return new EnhancementSettings(
        enabled,
        c.getInputGainDb(),
        c.getBandsList().stream()
            .map(b -> new EqBand(type(b.getShape()), b.getFrequencyHz(), b.getGainDb(), b.getQ()))
            .toList(),
        new CompressorSettings(
            k.getRms(),
            k.getThresholdDb(),
            k.getRatio(),
            k.getKneeDb(),
            k.getAttackMs(),
            k.getReleaseMs(),
            k.getMakeupDb()),
        c.getWidth(),
        l.getEnabled(),
        l.getCeilingDbtp(),
        l.getReleaseMs(),
        c.getOutputGainDb());
  }

  static ChainConfig toProto(EnhancementSettings s) {
    ChainConfig.Builder b =
        ChainConfig.newBuilder()
            .setInputGainDb(s.inputGainDb())
            .setWidth(s.width())
            .setOutputGainDb(s.outputGainDb());
    for (EqBand e : s.bands()) {
      b.addBands(
          EqBandConfig.newBuilder()
              .setShape(shape(e.type()))
              .setFrequencyHz(e.frequencyHz())
              .setGainDb(e.gainDb())
              .setQ(e.q()));
    }
    CompressorSettings k = s.compressor();
    b.setCompressor(
        CompressorConfig.newBuilder()
            .setRms(k.rms())
            .setThresholdDb(k.thresholdDb())
            .setRatio(k.ratio())
            .setKneeDb(k.kneeDb())
            .setAttackMs(k.attackMs())
            .setReleaseMs(k.releaseMs())
            .setMakeupDb(k.makeupDb()));
    b.setLimiter(
        LimiterConfig.newBuilder()
            .setEnabled(s.limiter())
            .setCeilingDbtp(s.ceilingDbtp())
            .setReleaseMs(s.limiterReleaseMs()));
    return b.build();
  }

  static FilterType type(FilterShape s) {
    return switch (s) {
      case FILTER_SHAPE_PEAKING -> FilterType.PEAKING;
      case FILTER_SHAPE_LOW_SHELF -> FilterType.LOW_SHELF;
      case FILTER_SHAPE_HIGH_SHELF -> FilterType.HIGH_SHELF;
      case FILTER_SHAPE_LOW_PASS -> FilterType.LOW_PASS;
      case FILTER_SHAPE_HIGH_PASS -> FilterType.HIGH_PASS;
      default -> throw new IllegalArgumentException("unknown shape " + s);
    };
  }

  static FilterShape shape(FilterType t) {
    return switch (t) {
      case PEAKING -> FilterShape.FILTER_SHAPE_PEAKING;
      case LOW_SHELF -> FilterShape.FILTER_SHAPE_LOW_SHELF;
      case HIGH_SHELF -> FilterShape.FILTER_SHAPE_HIGH_SHELF;
      case LOW_PASS -> FilterShape.FILTER_SHAPE_LOW_PASS;
      case HIGH_PASS -> FilterShape.FILTER_SHAPE_HIGH_PASS;
    };
  }
}
