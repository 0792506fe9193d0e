package io.tonearm.daemon.player;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.library.TrackCatalog;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.QueueChanged;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queue commands. Each validates everything first (so a failure changes nothing), applies the
 * change, publishes one QueueChanged saying exactly what changed, then lets the playback react and
 * publishes its PlayerChanged (queue length and index are part of the player state). Player thread
 * only.
 */
final class QueueCommands {

  /** Most files one request may add. */
  static final int MAX_ADD = 10_000;

  /** What a command did: the seq of its QueueChanged (-1 when nothing changed) and new ids. */
  record Result(long seq, List<String> itemIds) {}

  private final PlayQueue queue;
  private final Playback playback;
  private final StatePublisher publisher;
  private final MusicFolders folders;
  private final TrackCatalog catalog;
  private final ItemIds ids;

  QueueCommands(
      PlayQueue queue,
      Playback playback,
      StatePublisher publisher,
      MusicFolders folders,
      TrackCatalog catalog,
      ItemIds ids) {
    this.queue = queue;
    this.playback = playback;
    this.publisher = publisher;
    this.folders = folders;
    this.catalog = catalog;
    this.ids = ids;
  }

  Result set(List<String> paths, List<String> trackIds, Origin origin) {
    List<MusicFolders.Resolved> files = resolveAll(paths, trackIds, 0);
    if (files.isEmpty() && queue.size() == 0) {
      return new Result(-1, List.of());
    }
    List<QueueEntry> old = queue.snapshot();
    List<QueueEntry> added = entries(files);
    queue.clear();
    queue.insert(0, added, null);
    long seq =
        publisher.queue(
            QueueChanged.newBuilder()
                .setReplaced(
                    QueueChanged.Replaced.newBuilder()
                        .addAllItems(StatePublisher.items(queue.items()))),
            queue.items(),
            Cause.CAUSE_COMMAND,
            origin);
    playback.queueChanged(old, null, origin);
    playback.publish(Cause.CAUSE_COMMAND, origin);
    return new Result(seq, idsOf(added));
  }

  Result insert(int index, List<String> paths, List<String> trackIds, Origin origin) {
    if (index < 0 || index > queue.size()) {
      throw DomainException.outOfRange("index", index, "0 to " + queue.size());
    }
    List<MusicFolders.Resolved> files = resolveAll(paths, trackIds, queue.size());
    if (files.isEmpty()) {
      return new Result(-1, List.of());
    }
    List<QueueEntry> added = entries(files);
    queue.insert(index, added, playback.current);
    long seq =
        publisher.queue(
            QueueChanged.newBuilder()
                .setInserted(
                    QueueChanged.Inserted.newBuilder()
                        .setIndex(index)
                        .addAllItems(StatePublisher.items(added))),
            queue.items(),
            Cause.CAUSE_COMMAND,
            origin);
    playback.queueChanged(List.of(), null, origin);
    playback.publish(Cause.CAUSE_COMMAND, origin);
    return new Result(seq, idsOf(added));
  }

  Result append(List<String> paths, List<String> trackIds, Origin origin) {
    return insert(queue.size(), paths, trackIds, origin);
  }

  Result move(String itemId, int to, Origin origin) {
    QueueEntry e = playback.entry(itemId);
    if (to < 0 || to >= queue.size()) {
      throw DomainException.outOfRange("to_index", to, "0 to " + (queue.size() - 1));
    }
    if (queue.indexOf(e.id) == to) {
      return new Result(-1, List.of());
    }
    queue.move(e, to);
    long seq =
        publisher.queue(
            QueueChanged.newBuilder()
                .setMoved(QueueChanged.Moved.newBuilder().setItemId(itemId).setToIndex(to)),
            queue.items(),
            Cause.CAUSE_COMMAND,
            origin);
    playback.queueChanged(List.of(), null, origin);
    playback.publish(Cause.CAUSE_COMMAND, origin);
    return new Result(seq, List.of());
  }

  /**
   * Sets the priority (0 to 255) of the entries; while shuffled, the entries still to come are put
   * in descending priority (see {@link PlayQueue#sortByPriority}). Publishes one
   * QueueChanged.updated with the entries whose priority changed.
   */
  Result priority(List<String> itemIds, int priority, Origin origin) {
    if (priority < 0 || priority > 255) {
      throw DomainException.outOfRange("priority", priority, "0 to 255");
    }
    if (itemIds.isEmpty()) {
      throw DomainException.badRequest("item_ids required");
    }
    Set<QueueEntry> named = new LinkedHashSet<>();
    for (String id : itemIds) {
      named.add(playback.entry(id)); // 404 before anything changes
    }
    QueueChanged.Updated.Builder updated = QueueChanged.Updated.newBuilder();
    List<QueueEntry> raised = new ArrayList<>();
    for (QueueEntry e : named) {
      if (e.priority != priority) {
        if (priority > e.priority) {
          raised.add(e);
        }
        e.priority = priority;
        updated.addItems(StatePublisher.item(e));
      }
    }
    if (updated.getItemsCount() == 0) {
      return new Result(-1, List.of());
    }
    long seq =
        publisher.queue(
            QueueChanged.newBuilder().setUpdated(updated),
            queue.items(),
            Cause.CAUSE_COMMAND,
            origin);
    queue.requeue(raised, playback.current);
    playback.reprime(); // what plays next may have changed
    return new Result(seq, List.of());
  }

  Result remove(List<String> itemIds, Origin origin) {
    Set<QueueEntry> gone = new LinkedHashSet<>();
    for (String id : itemIds) {
      gone.add(playback.entry(id)); // 404 before anything changes
    }
    if (gone.isEmpty()) {
      return new Result(-1, List.of());
    }
    List<QueueEntry> removed = new ArrayList<>(gone);
    QueueEntry follower = followerOf(playback.current, gone);
    queue.removeAll(removed);
    long seq =
        publisher.queue(
            QueueChanged.newBuilder()
                .setRemoved(QueueChanged.Removed.newBuilder().addAllItemIds(idsOf(removed))),
            queue.items(),
            Cause.CAUSE_COMMAND,
            origin);
    playback.queueChanged(removed, follower, origin);
    playback.publish(Cause.CAUSE_COMMAND, origin);
    return new Result(seq, List.of());
  }

  Result clear(Origin origin) {
    if (queue.size() == 0) {
      return new Result(-1, List.of());
    }
    List<QueueEntry> old = queue.snapshot();
    queue.clear();
    long seq =
        publisher.queue(
            QueueChanged.newBuilder().setReplaced(QueueChanged.Replaced.newBuilder().build()),
            queue.items(),
            Cause.CAUSE_COMMAND,
            origin);
    playback.queueChanged(old, null, origin);
    playback.publish(Cause.CAUSE_COMMAND, origin);
    return new Result(seq, List.of());
  }

  /** The first entry after {@code current} in play order that is not being removed. */
  private QueueEntry followerOf(QueueEntry current, Set<QueueEntry> gone) {
    if (current == null || !gone.contains(current)) {
      return null;
    }
    List<QueueEntry> order = queue.order();
    for (int i = order.indexOf(current) + 1; i < order.size(); i++) {
      if (!gone.contains(order.get(i))) {
        return order.get(i);
      }
    }
    return null;
  }

  private List<MusicFolders.Resolved> resolveAll(
      List<String> paths, List<String> trackIds, int already) {
    int n = paths.size() + trackIds.size();
    if (n > MAX_ADD || already + n > PlayQueue.MAX_LENGTH) {
      throw new DomainException(
          DomainException.Kind.TOO_LARGE,
          "too_large",
          "a request adds at most "
              + MAX_ADD
              + " files and the queue holds at most "
              + PlayQueue.MAX_LENGTH,
          Map.of("limit", Integer.toString(MAX_ADD)));
    }
    List<MusicFolders.Resolved> out = new ArrayList<>(n);
    for (String p : paths) {
      out.add(folders.resolve(p));
    }
    Map<String, TrackCatalog.CatalogTrack> tracks = catalog.byIds(trackIds);
    for (String id : trackIds) {
      TrackCatalog.CatalogTrack t = tracks.get(id);
      if (t == null) {
        throw DomainException.notFound("track", id);
      }
      out.add(resolveTrack(t));
    }
    return out;
  }

  /**
   * Entries playing one of {@code files} take the catalog's data for it; one QueueChanged.updated
   * (cause OPENED) carries those whose item changed. One catalog read per few hundred matching
   * entries.
   *
   * @return whether the current entry was among the changed ones
   */
  boolean recatalog(Set<Path> files) {
    List<QueueEntry> named = new ArrayList<>();
    List<Path> paths = new ArrayList<>();
    for (QueueEntry e : queue.items()) {
      if (files.contains(e.file)) {
        named.add(e);
        paths.add(e.file);
      }
    }
    Map<Path, TrackCatalog.CatalogTrack> tracks = catalog.byFiles(paths);
    QueueChanged.Updated.Builder updated = QueueChanged.Updated.newBuilder();
    boolean current = false;
    for (QueueEntry e : named) {
      TrackCatalog.CatalogTrack t = tracks.get(e.file.normalize());
      if (t == null || t.equals(e.track)) {
        continue;
      }
      var before = StatePublisher.item(e);
      e.track = t;
      var after = StatePublisher.item(e);
      if (!after.equals(before)) {
        updated.addItems(after);
        current |= e == playback.current;
      }
    }
    if (updated.getItemsCount() > 0) {
      publisher.queue(
          QueueChanged.newBuilder().setUpdated(updated),
          queue.items(),
          Cause.CAUSE_OPENED,
          StatePublisher.DAEMON);
    }
    return current;
  }

  private MusicFolders.Resolved resolveTrack(TrackCatalog.CatalogTrack t) {
    try {
      Path real = t.file().toRealPath();
      Path root = folders.rootOf(real);
      if (root != null) {
        return new MusicFolders.Resolved(real, root.relativize(real).toString());
      }
    } catch (IOException e) {
      throw DomainException.notFound("file of track", t.trackId());
    }
    return folders.resolve(t.file().toString()); // answers 403 for a file outside the folders
  }

  private List<QueueEntry> entries(List<MusicFolders.Resolved> files) {
    List<Path> paths = new ArrayList<>(files.size());
    for (MusicFolders.Resolved r : files) {
      paths.add(r.file());
    }
    Map<Path, TrackCatalog.CatalogTrack> tracks = catalog.byFiles(paths);
    List<QueueEntry> out = new ArrayList<>(files.size());
    for (MusicFolders.Resolved r : files) {
      TrackCatalog.CatalogTrack t = tracks.get(r.file().normalize());
      out.add(new QueueEntry(ids.next(), r.file(), r.relative(), t));
    }
    return out;
  }

  private static List<String> idsOf(List<QueueEntry> entries) {
    List<String> out = new ArrayList<>(entries.size());
    for (QueueEntry e : entries) {
      out.add(e.itemId());
    }
    return out;
  }
}
