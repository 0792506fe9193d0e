package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.mixer.Mixer;
import io.tonearm.proto.v1.MixerReply;
import io.tonearm.proto.v1.MixerVolumesRequest;
import io.tonearm.proto.v1.StemStripRequest;
import java.util.concurrent.CompletionStage;

/** Handlers of the mixer commands: each hands the command to {@link Mixer}. */
final class MixerCommands {

  private final Mixer mixer;

  MixerCommands(Mixer mixer) {
    this.mixer = mixer;
  }

  CompletionStage<MixerReply> get(Call<Empty> c) {
    return mixer.get();
  }

  CompletionStage<MixerReply> volumes(Call<MixerVolumesRequest> c) {
    return mixer.setVolumes(c.request(), c.origin());
  }

  CompletionStage<MixerReply> stem(Call<StemStripRequest> c) {
    return mixer.setStrip(c.param("name"), c.request(), c.origin());
  }

  CompletionStage<MixerReply> reset(Call<Empty> c) {
    return mixer.reset(c.origin());
  }
}
