package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.events.Outbound;
import io.tonearm.daemon.zones.Zones;
import io.tonearm.proto.v1.CreateZoneRequest;
import io.tonearm.proto.v1.ZoneList;
import io.tonearm.proto.v1.ZoneReply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Handlers of the zone commands: each hands the command to {@link Zones}; a change is answered once
 * its {@code ZoneChanged} event is {@link Outbound out} (in the relays' Redis streams, within that
 * bound), so a relay asked next for a zone just made knows it.
 */
final class ZoneCommands {

  private final Zones zones;
  private final Outbound outbound;

  ZoneCommands(Zones zones, Outbound outbound) {
    this.zones = zones;
    this.outbound = outbound;
  }

  CompletionStage<ZoneList> list(Call<Empty> c) {
    return CompletableFuture.completedFuture(zones.list(c.caller().principal()));
  }

  CompletionStage<ZoneReply> create(Call<CreateZoneRequest> c) {
    return zones.create(c.request(), c.caller().principal()).thenCompose(this::out);
  }

  CompletionStage<ZoneReply> delete(Call<Empty> c) {
    return zones.delete(c.param("id"), c.caller().principal()).thenCompose(this::out);
  }

  private CompletionStage<ZoneReply> out(ZoneReply r) {
    return outbound.reached(r.getSeq()).thenApply(confirmed -> r);
  }
}
