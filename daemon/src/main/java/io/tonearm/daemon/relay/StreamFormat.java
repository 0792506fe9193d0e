package io.tonearm.daemon.relay;

import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.ZoneCause;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The keys and entry fields the origin writes and relays read (see docs/DEPLOYMENT.md). Keys carry
 * the zone in a hash tag, so in a Redis Cluster a zone's keys live on one shard:
 *
 * <ul>
 *   <li>{@code tonearm:{ZONE}:events}, a stream of event entries ({@code k=e}: {@code x} epoch,
 *       {@code s} seq, {@code p} the seq of the previous event entry of this stream, 0 for the
 *       first of an epoch and -1 after a gap, {@code t} topic, {@code b} the encoded {@code
 *       Envelope}) and snapshot cuts ({@code k=c}: {@code x}, {@code s} the seq the snapshots are
 *       current at, {@code f} 1 for every topic or 0 for those changed since the last cut, and one
 *       {@code T:<topic>@<zone>} field per snapshot, an encoded {@code Envelope} without seq);
 *   <li>{@code tonearm:{ZONE}:snapshot}, a hash holding the newest full cut ({@code x}, {@code s},
 *       {@code T:<topic>@<zone>}), for a relay that starts;
 *   <li>{@code tonearm:{ZONE}:frames:<view key>}, pub/sub channels of encoded frame envelopes;
 *   <li>{@code tonearm:{ZONE}:views}, a hash of the frame views relays want (view key to the
 *       encoded {@code FrameView}) with {@code tonearm:{ZONE}:view-leases}, their expiry times.
 * </ul>
 */
final class StreamFormat {

  static final String KIND = "k";
  static final String EPOCH = "x";
  static final String SEQ = "s";
  static final String PREV = "p";
  static final String TOPIC = "t";
  static final String BODY = "b";
  static final String FULL = "f";
  static final String SNAPSHOT_PREFIX = "T:";

  static final byte[] EVENT = bytes("e");
  static final byte[] CUT = bytes("c");

  private StreamFormat() {}

  static String events(String zone) {
    return "tonearm:{" + zone + "}:events";
  }

  static String snapshot(String zone) {
    return "tonearm:{" + zone + "}:snapshot";
  }

  static String frames(String zone, String viewKey) {
    return "tonearm:{" + zone + "}:frames:" + viewKey;
  }

  /** True when stream entry id {@code a} ({@code ms-n}) comes after {@code b}. */
  static boolean idAfter(String a, String b) {
    int da = a.indexOf('-');
    int db = b.indexOf('-');
    int ms = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
    return ms != 0
        ? ms > 0
        : Long.parseLong(a.substring(da + 1)) > Long.parseLong(b.substring(db + 1));
  }

  /**
   * What an entry says of zone {@code zone}'s existence: {@code TRUE} for an event entry of topic
   * {@code zones} making it (or any {@code ZoneChanged} of it but REMOVED), {@code FALSE} for its
   * REMOVED, null for any other entry.
   */
  static Boolean zoneChange(Map<String, byte[]> body, String zone) {
    if (!Arrays.equals(body.get(KIND), EVENT)
        || !Topic.ZONES.wireName().equals(text(body.get(TOPIC)))) {
      return null;
    }
    Envelope env;
    try {
      env = Envelope.parseFrom(body.get(BODY));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return null;
    }
    if (!env.hasZones() || !env.getZones().getZone().getId().equals(zone)) {
      return null;
    }
    return env.getZones().getCause() != ZoneCause.ZONE_CAUSE_REMOVED;
  }

  /** The zone a key names ({@code tonearm:{ZONE}:...}). */
  static String zoneOf(String key) {
    int open = key.indexOf('{');
    return key.substring(open + 1, key.indexOf('}', open));
  }

  static String views(String zone) {
    return "tonearm:{" + zone + "}:views";
  }

  static String viewLeases(String zone) {
    return "tonearm:{" + zone + "}:view-leases";
  }

  /** {@code T:<topic>@<zone>} (zone "" for a shared topic). */
  static String snapshotField(io.tonearm.daemon.events.EventHub.Key k) {
    return SNAPSHOT_PREFIX + k.topic().wireName() + "@" + k.zone();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] number(long n) {
    return bytes(Long.toString(n));
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static long number(byte[] b) {
    return Long.parseLong(text(b));
  }
}
