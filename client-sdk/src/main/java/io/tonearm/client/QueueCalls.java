package io.tonearm.client;

import io.tonearm.proto.v1.QueueAddRequest;
import io.tonearm.proto.v1.QueueMoveRequest;
import io.tonearm.proto.v1.QueuePriorityRequest;
import io.tonearm.proto.v1.QueueRemoveRequest;
import io.tonearm.proto.v1.QueueReply;
import java.util.List;
import java.util.Map;

/**
 * The play queue ({@code /api/v1/queue}). Items are added by file path (relative to a music folder
 * or absolute inside one) or by library track id; every change answers the whole queue, the ids of
 * the items added and the seq of its event. Immutable and thread-safe; get it from {@link
 * TonearmClient#queue()}.
 */
public final class QueueCalls {

  private static final String BASE = "/api/v1/queue";

  /** Most items one request may add (the daemon's bound). */
  public static final int MAX_ITEMS_PER_REQUEST = 10_000;

  private final Requests r;

  QueueCalls(Requests r) {
    this.r = r;
  }

  public Call<QueueReply> get() {
    return r.command("queue.get", Map.of(), "GET", BASE, null, QueueReply.parser());
  }

  /** Appends files, by path. */
  public Call<QueueReply> appendPaths(List<String> paths) {
    return r.command(
        "queue.append",
        Map.of(),
        "POST",
        BASE + "/append",
        add(paths, List.of()).build(),
        QueueReply.parser());
  }

  /** Appends library tracks, by track id. */
  public Call<QueueReply> appendTracks(List<String> trackIds) {
    return r.command(
        "queue.append",
        Map.of(),
        "POST",
        BASE + "/append",
        add(List.of(), trackIds).build(),
        QueueReply.parser());
  }

  /** Replaces the whole queue with these paths and tracks (paths first). */
  public Call<QueueReply> replace(List<String> paths, List<String> trackIds) {
    return r.command(
        "queue.set", Map.of(), "POST", BASE, add(paths, trackIds).build(), QueueReply.parser());
  }

  /** Inserts paths and tracks at {@code index} (0 to the queue's length). */
  public Call<QueueReply> insert(int index, List<String> paths, List<String> trackIds) {
    Requests.range("index", index, 0, Integer.MAX_VALUE);
    return r.command(
        "queue.insert",
        Map.of(),
        "POST",
        BASE + "/insert",
        add(paths, trackIds).setIndex(index).build(),
        QueueReply.parser());
  }

  /** Moves one item to {@code toIndex}. */
  public Call<QueueReply> move(String itemId, int toIndex) {
    Requests.range("toIndex", toIndex, 0, Integer.MAX_VALUE);
    return r.command(
        "queue.move",
        Map.of(),
        "POST",
        BASE + "/move",
        QueueMoveRequest.newBuilder()
            .setItemId(Requests.id("itemId", itemId))
            .setToIndex(toIndex)
            .build(),
        QueueReply.parser());
  }

  /**
   * Sets the priority (0 to 255, MPD's {@code prio}) of items: while shuffle is on, items still to
   * come play in descending priority; an item's priority goes back to 0 when it starts playing.
   * When any id is unknown, nothing changes (404).
   */
  public Call<QueueReply> priority(List<String> itemIds, int priority) {
    Requests.ids("itemIds", itemIds);
    Requests.range("priority", priority, 0, 255);
    return r.command(
        "queue.priority",
        Map.of(),
        "POST",
        BASE + "/priority",
        QueuePriorityRequest.newBuilder().addAllItemIds(itemIds).setPriority(priority).build(),
        QueueReply.parser());
  }

  /** Removes items; when any id is unknown, nothing is removed (404). */
  public Call<QueueReply> remove(List<String> itemIds) {
    Requests.ids("itemIds", itemIds);
    if (itemIds.isEmpty()) {
      throw new IllegalArgumentException("name at least one item to remove");
    }
    return r.command(
        "queue.remove",
        Map.of(),
        "POST",
        BASE + "/remove",
        QueueRemoveRequest.newBuilder().addAllItemIds(itemIds).build(),
        QueueReply.parser());
  }

  public Call<QueueReply> clear() {
    return r.command("queue.clear", Map.of(), "POST", BASE + "/clear", null, QueueReply.parser());
  }

  private static QueueAddRequest.Builder add(List<String> paths, List<String> trackIds) {
    Requests.ids("paths", paths);
    Requests.ids("trackIds", trackIds);
    int n = paths.size() + trackIds.size();
    if (n == 0 || n > MAX_ITEMS_PER_REQUEST) {
      throw new IllegalArgumentException(
          "add 1 to " + MAX_ITEMS_PER_REQUEST + " items per request, got " + n);
    }
    return QueueAddRequest.newBuilder().addAllPaths(paths).addAllTrackIds(trackIds);
  }
}
