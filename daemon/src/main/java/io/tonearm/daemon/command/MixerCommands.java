package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.mixer.Mixer;
import io.tonearm.proto.v1.MixerReply;
import io.tonearm.proto.v1.MixerVolumesRequest;
import io.tonearm.proto.v1.StemStripRequest;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Handlers of the mixer commands: each hands the command to its zone's {@link Mixer}. */
final class MixerCommands {

  private final Function<String, Mixer> zones;

  /**
   * @param zones the mixer of a zone that exists (resolved and checked by the runner); throws 404
   *     {@code zone_not_found} for one removed since
   */
  MixerCommands(Function<String, Mixer> zones) {
    this.zones = zones;
  }

  private Mixer mixer(Call<?> c) {
    return zones.apply(c.zone());
  }

  CompletionStage<MixerReply> get(Call<Empty> c) {
    return mixer(c).get();
  }

  CompletionStage<MixerReply> volumes(Call<MixerVolumesRequest> c) {
    return mixer(c).setVolumes(c.request(), c.origin());
  }

  CompletionStage<MixerReply> stem(Call<StemStripRequest> c) {
    return mixer(c).setStrip(c.param("name"), c.request(), c.origin());
  }

  CompletionStage<MixerReply> reset(Call<Empty> c) {
    return mixer(c).reset(c.origin());
  }
}
