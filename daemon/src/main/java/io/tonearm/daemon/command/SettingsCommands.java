package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.settings.Settings;
import io.tonearm.proto.v1.CrossfadeConfig;
import io.tonearm.proto.v1.EnhancementConfig;
import io.tonearm.proto.v1.JobReply;
import io.tonearm.proto.v1.ReferenceRequest;
import io.tonearm.proto.v1.RenderRequest;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.SavePresetRequest;
import io.tonearm.proto.v1.SettingsReply;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Handlers of the settings commands: each hands the command to its zone's {@link Settings}. */
final class SettingsCommands {

  private final Function<String, Settings> zones;

  /**
   * @param zones the settings of a zone that exists (resolved and checked by the runner); throws
   *     404 {@code zone_not_found} for one removed since
   */
  SettingsCommands(Function<String, Settings> zones) {
    this.zones = zones;
  }

  private Settings settings(Call<?> c) {
    return zones.apply(c.zone());
  }

  CompletionStage<SettingsReply> get(Call<Empty> c) {
    return settings(c).get();
  }

  CompletionStage<SettingsReply> enhancement(Call<EnhancementConfig> c) {
    return settings(c).setEnhancement(c.request(), c.origin());
  }

  CompletionStage<SettingsReply> crossfade(Call<CrossfadeConfig> c) {
    return settings(c).setCrossfade(c.request(), c.origin());
  }

  CompletionStage<SettingsReply> replayGain(Call<ReplayGainConfig> c) {
    return settings(c).setReplayGain(c.request(), c.origin());
  }

  CompletionStage<SettingsReply> reference(Call<ReferenceRequest> c) {
    return settings(c).setReference(c.request().getTrackId(), c.origin());
  }

  CompletionStage<JobReply> render(Call<RenderRequest> c) {
    return settings(c).render(c.request().getTrackId(), c.request().getFormat(), c.origin());
  }

  CompletionStage<SettingsReply> savePreset(Call<SavePresetRequest> c) {
    SavePresetRequest r = c.request();
    return settings(c).savePreset(r.getName(), r.hasChain() ? r.getChain() : null, c.origin());
  }

  CompletionStage<SettingsReply> deletePreset(Call<Empty> c) {
    return settings(c).deletePreset(c.param("name"), c.origin());
  }

  CompletionStage<SettingsReply> reset(Call<Empty> c) {
    return settings(c).reset(c.origin());
  }
}
