package io.tonearm.daemon.mpd;

import io.tonearm.proto.v1.OutputInfo;
import io.tonearm.proto.v1.OutputsReply;

/** Outputs by MPD's number (their order in Tonearm's output list). */
final class OutputVerbs {
  private OutputVerbs() {}

  static void register(MpdService.Shared s) {
    s.table()
        .add(
            "outputs",
            0,
            0,
            s.scopeOf("outputs.get"),
            c ->
                s.player()
                    .outputsState()
                    .thenAccept(
                        o -> {
                          for (int i = 0; i < o.getState().getOutputsCount(); i++) {
                            OutputInfo out = o.getState().getOutputs(i);
                            c.reply()
                                .field("outputid", i)
                                .field("outputname", out.getOutputId())
                                .field("plugin", out.getOutputId())
                                .field("outputenabled", out.getEnabled() ? 1 : 0);
                          }
                        }))
        .add("enableoutput", 1, 1, s.scopeOf("outputs.enable"), c -> set(s, c, Boolean.TRUE))
        .add("disableoutput", 1, 1, s.scopeOf("outputs.disable"), c -> set(s, c, Boolean.FALSE))
        .add("toggleoutput", 1, 1, s.scopeOf("outputs.enable"), c -> set(s, c, null));
  }

  private static java.util.concurrent.CompletionStage<Void> set(
      MpdService.Shared s, Verb c, Boolean on) {
    int n = Args.unsigned(c.arg(0));
    return s.player()
        .outputsState()
        .thenCompose(
            (OutputsReply o) -> {
              if (n >= o.getState().getOutputsCount()) {
                throw AckException.noExist("No such audio output");
              }
              OutputInfo out = o.getState().getOutputs(n);
              boolean next = on == null ? !out.getEnabled() : on;
              return PlaybackVerbs.done(
                  s.player().enableOutput(out.getOutputId(), next, c.origin()));
            });
  }
}
