package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.zones.Zones;
import io.tonearm.proto.v1.CreateZoneRequest;
import io.tonearm.proto.v1.ZoneList;
import io.tonearm.proto.v1.ZoneReply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Handlers of the zone commands: each hands the command to {@link Zones}. */
final class ZoneCommands {

  private final Zones zones;

  ZoneCommands(Zones zones) {
    this.zones = zones;
  }

  CompletionStage<ZoneList> list(Call<Empty> c) {
    return CompletableFuture.completedFuture(zones.list(c.caller().principal()));
  }

  CompletionStage<ZoneReply> create(Call<CreateZoneRequest> c) {
    return zones.create(c.request(), c.caller().principal());
  }

  CompletionStage<ZoneReply> delete(Call<Empty> c) {
    return zones.delete(c.param("id"), c.caller().principal());
  }
}
