package io.tonearm.client.cli;

import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.ZoneInfo;
import io.tonearm.proto.v1.ZoneList;
import io.tonearm.proto.v1.ZoneReply;

/**
 * {@code zone list}, {@code zone create ID [NAME]}, {@code zone delete ID}: the daemon's zones
 * (listing needs read and shows the zones the token may use; making and removing need admin).
 */
final class ZoneCommand {
  private final TonearmClient client;
  private final Output o;

  ZoneCommand(TonearmClient client, Output o) {
    this.client = client;
    this.o = o;
  }

  void run(Args a) {
    String sub = a.optional();
    switch (sub == null ? "list" : sub) {
      case "list" -> {
        a.end();
        ZoneList l = client.zones().list().execute();
        StringBuilder b = new StringBuilder();
        for (ZoneInfo z : l.getZonesList()) {
          b.append(line(z)).append('\n');
        }
        b.append(l.getZonesCount()).append(" of at most ").append(l.getMaxZones()).append(" zones");
        o.print(l, b.toString());
      }
      case "create" -> {
        String id = a.next("zone id");
        String name = a.optional();
        a.end();
        ZoneReply r = client.zones().create(id, name == null ? "" : name).execute();
        o.print(r, "made " + line(r.getZone()));
      }
      case "delete" -> {
        String id = a.next("zone id");
        a.end();
        ZoneReply r = client.zones().delete(id).execute();
        o.print(r, "removed " + line(r.getZone()));
      }
      default -> throw new UsageException("unknown zone command '" + sub + "'");
    }
  }

  private static String line(ZoneInfo z) {
    return String.format("%-32s %s", z.getId(), z.getName());
  }
}
