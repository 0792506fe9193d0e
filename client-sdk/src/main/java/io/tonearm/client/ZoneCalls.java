package io.tonearm.client;

import io.tonearm.proto.v1.CreateZoneRequest;
import io.tonearm.proto.v1.ZoneList;
import io.tonearm.proto.v1.ZoneReply;
import java.util.Objects;

/**
 * Zones ({@code /api/v1/zones}): independent players in one daemon. Listing needs scope {@code
 * read} and shows the zones the token may use; making and removing need {@code admin}. Immutable
 * and thread-safe; get it from {@link TonearmClient#zones()}. Which zone the player, queue and
 * outputs calls act on is the client's ({@link TonearmClient.Builder#zone}).
 */
public final class ZoneCalls {

  private static final String BASE = "/api/v1/zones";
  private final Requests r;

  ZoneCalls(Requests r) {
    this.r = r;
  }

  /** The zones the caller may use, "default" first, and the daemon's bound on zones. */
  public Call<ZoneList> list() {
    return r.get(BASE, ZoneList.parser());
  }

  /**
   * Makes a zone (stopped, empty queue).
   *
   * @param id 1-32 lower-case letters, digits, '-' or '_'
   * @param name a display name, or "" for the id
   */
  public Call<ZoneReply> create(String id, String name) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    return r.send(
        "POST",
        BASE,
        CreateZoneRequest.newBuilder().setId(id).setName(name).build(),
        ZoneReply.parser());
  }

  /** Removes a zone: its sockets are closed with 4004 and its player state deleted. */
  public Call<ZoneReply> delete(String id) {
    return r.send(
        "DELETE", BASE + "/" + Requests.enc(Requests.id("id", id)), null, ZoneReply.parser());
  }
}
