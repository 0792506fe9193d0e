package io.tonearm.daemon.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.ZoneCause;
import io.tonearm.proto.v1.ZoneChanged;
import io.tonearm.proto.v1.ZoneInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamFormatTest {

  @Test
  void entryIdsCompareByMillisecondsThenSequenceAsNumbers() {
    assertTrue(StreamFormat.idAfter("10-0", "9-5"));
    assertTrue(StreamFormat.idAfter("9-10", "9-9"));
    assertFalse(StreamFormat.idAfter("9-9", "9-9"));
    assertFalse(StreamFormat.idAfter("0-0", "1700000000000-0"));
    assertTrue(StreamFormat.idAfter("1700000000000-0", "0-0"));
  }

  @Test
  void aZoneChangeEntrySaysWhetherItsZoneExistsAndOtherEntriesSayNothing() {
    assertEquals(
        Boolean.TRUE, StreamFormat.zoneChange(zones("za", ZoneCause.ZONE_CAUSE_CREATED), "za"));
    assertEquals(
        Boolean.FALSE, StreamFormat.zoneChange(zones("za", ZoneCause.ZONE_CAUSE_REMOVED), "za"));
    assertNull(StreamFormat.zoneChange(zones("zb", ZoneCause.ZONE_CAUSE_CREATED), "za"));
    Map<String, byte[]> player =
        Map.of(
            StreamFormat.KIND, StreamFormat.EVENT,
            StreamFormat.TOPIC, StreamFormat.bytes(Topic.PLAYER.wireName()),
            StreamFormat.BODY, Envelope.getDefaultInstance().toByteArray());
    assertNull(StreamFormat.zoneChange(player, "za"));
    Map<String, byte[]> cut = Map.of(StreamFormat.KIND, StreamFormat.CUT);
    assertNull(StreamFormat.zoneChange(cut, "za"));
  }

  private static Map<String, byte[]> zones(String id, ZoneCause cause) {
    Envelope e =
        Envelope.newBuilder()
            .setZone(id)
            .setZones(
                ZoneChanged.newBuilder().setZone(ZoneInfo.newBuilder().setId(id)).setCause(cause))
            .build();
    return Map.of(
        StreamFormat.KIND, StreamFormat.EVENT,
        StreamFormat.TOPIC, StreamFormat.bytes(Topic.ZONES.wireName()),
        StreamFormat.BODY, e.toByteArray());
  }
}
