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

/** Handlers of the settings commands: each hands the command to {@link Settings}. */
final class SettingsCommands {

  private final Settings settings;

  SettingsCommands(Settings settings) {
    this.settings = settings;
  }

  CompletionStage<SettingsReply> get(Call<Empty> c) {
    return settings.get();
  }

  CompletionStage<SettingsReply> enhancement(Call<EnhancementConfig> c) {
    return settings.setEnhancement(c.request(), c.origin());
  }

  CompletionStage<SettingsReply> crossfade(Call<CrossfadeConfig> c) {
    return settings.setCrossfade(c.request(), c.origin());
  }

  CompletionStage<SettingsReply> replayGain(Call<ReplayGainConfig> c) {
    return settings.setReplayGain(c.request(), c.origin());
  }

  CompletionStage<SettingsReply> reference(Call<ReferenceRequest> c) {
    return settings.setReference(c.request().getTrackId(), c.origin());
  }

  CompletionStage<JobReply> render(Call<RenderRequest> c) {
    return settings.render(c.request().getTrackId(), c.request().getFormat(), c.origin());
  }

  CompletionStage<SettingsReply> savePreset(Call<SavePresetRequest> c) {
    SavePresetRequest r = c.request();
    return settings.savePreset(r.getName(), r.hasChain() ? r.getChain() : null, c.origin());
  }

  CompletionStage<SettingsReply> deletePreset(Call<Empty> c) {
    return settings.deletePreset(c.param("name"), c.origin());
  }

  CompletionStage<SettingsReply> reset(Call<Empty> c) {
    return settings.reset(c.origin());
  }
}
