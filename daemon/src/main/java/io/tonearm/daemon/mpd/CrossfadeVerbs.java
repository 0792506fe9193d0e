package io.tonearm.daemon.mpd;

import io.tonearm.proto.v1.CrossfadeConfig;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * {@code crossfade}, {@code mixrampdb} and {@code mixrampdelay}: each changes one field of the
 * settings topic's crossfade (the same setting as {@code POST /api/v1/settings/crossfade}); {@code
 * status} reports them as {@code xfade}, {@code mixrampdb} and {@code mixrampdelay}.
 */
final class CrossfadeVerbs {
  private CrossfadeVerbs() {}

  static void register(MpdService.Shared s) {
    s.table()
        .add(
            "crossfade",
            1,
            1,
            s.scopeOf("settings.crossfade"),
            c -> {
              int seconds = Args.unsigned(c.arg(0));
              return change(s, c, x -> x.toBuilder().setSeconds(seconds).build());
            })
        .add(
            "mixrampdb",
            1,
            1,
            s.scopeOf("settings.crossfade"),
            c -> {
              double db = decimal(c.arg(0));
              return change(s, c, x -> x.toBuilder().setMixrampDb(db).build());
            })
        .add(
            "mixrampdelay",
            1,
            1,
            s.scopeOf("settings.crossfade"),
            c -> {
              // MPD's "nan" turns MixRamp off, as any value of 0 or less does.
              String a = c.arg(0).trim();
              double delay = a.equalsIgnoreCase("nan") ? -1 : decimal(a);
              return change(s, c, x -> x.toBuilder().setMixrampDelaySeconds(delay).build());
            });
  }

  private static CompletionStage<Void> change(
      MpdService.Shared s, Verb c, UnaryOperator<CrossfadeConfig> change) {
    return PlaybackVerbs.done(s.settings().updateCrossfade(change, c.origin()));
  }

  /** A finite decimal number, as MPD's float arguments. */
  private static double decimal(String s) {
    try {
      double v = Double.parseDouble(s.trim());
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw AckException.arg("Float expected: " + s);
  }
}
