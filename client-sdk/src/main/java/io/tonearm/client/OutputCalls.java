package io.tonearm.client;

import io.tonearm.proto.v1.OutputsReply;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.ReplayGainMode;
import java.util.Map;
import java.util.Objects;

/**
 * The audio outputs and ReplayGain ({@code /api/v1/outputs}). Immutable and thread-safe; get it
 * from {@link TonearmClient#outputs()}.
 */
public final class OutputCalls {

  private static final String BASE = "/api/v1/outputs";
  private final Requests r;

  OutputCalls(Requests r) {
    this.r = r;
  }

  public Call<OutputsReply> list() {
    return r.command("outputs.get", Map.of(), "GET", BASE, null, OutputsReply.parser());
  }

  /** Enables an output; 404 {@code not_found} for an unknown id. */
  public Call<OutputsReply> enable(String outputId) {
    return r.command(
        "outputs.enable",
        Map.of("id", Requests.id("outputId", outputId)),
        "POST",
        BASE + "/" + Requests.enc(outputId) + "/enable",
        null,
        OutputsReply.parser());
  }

  public Call<OutputsReply> disable(String outputId) {
    return r.command(
        "outputs.disable",
        Map.of("id", Requests.id("outputId", outputId)),
        "POST",
        BASE + "/" + Requests.enc(outputId) + "/disable",
        null,
        OutputsReply.parser());
  }

  /** Sets ReplayGain: mode, preamp -15..15 dB, clipping prevention. */
  public Call<OutputsReply> replayGain(ReplayGainConfig config) {
    Objects.requireNonNull(config, "config");
    if (config.getMode() == ReplayGainMode.UNRECOGNIZED) {
      throw new IllegalArgumentException("unknown ReplayGain mode");
    }
    if (!(config.getPreampDb() >= -15 && config.getPreampDb() <= 15)) {
      throw new IllegalArgumentException("preamp must be -15 to 15 dB: " + config.getPreampDb());
    }
    return r.command(
        "outputs.replaygain",
        Map.of(),
        "POST",
        BASE + "/replaygain",
        config,
        OutputsReply.parser());
  }
}
