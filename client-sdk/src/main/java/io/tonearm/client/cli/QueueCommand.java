package io.tonearm.client.cli;

import io.tonearm.client.TonearmClient;
import io.tonearm.client.TrackQuery;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.MusicFolder;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.TrackList;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code queue [list]}, {@code queue add track ID...|album ID|folder DIR|search QUERY|playlist ID|
 * PATH...}, {@code queue move POS TO}, {@code queue remove POS...}, {@code queue clear}. Positions
 * count from 1.
 */
final class QueueCommand {
  private final TonearmClient client;
  private final Output o;

  QueueCommand(TonearmClient client, Output o) {
    this.client = client;
    this.o = o;
  }

  void run(Args a) {
    String sub = a.optional();
    QueueReply r =
        switch (sub == null ? "list" : sub) {
          case "list" -> {
            a.end();
            yield client.queue().get().execute();
          }
          case "add" -> add(a);
          case "move" -> {
            List<QueueItem> q = items();
            int from = a.intValue("position", a.next("position"), 1, Math.max(1, q.size()));
            int to =
                a.intValue("target position", a.next("target position"), 1, Math.max(1, q.size()));
            a.end();
            yield client.queue().move(q.get(from - 1).getItemId(), to - 1).execute();
          }
          case "remove" -> {
            List<QueueItem> q = items();
            List<String> ids = new ArrayList<>();
            for (String p : a.rest()) {
              ids.add(q.get(a.intValue("position", p, 1, Math.max(1, q.size())) - 1).getItemId());
            }
            if (ids.isEmpty()) {
              throw new UsageException("queue remove needs positions");
            }
            yield client.queue().remove(ids).execute();
          }
          case "clear" -> {
            a.end();
            yield client.queue().clear().execute();
          }
          default -> throw new UsageException("unknown queue command '" + sub + "'");
        };
    o.print(r, list(r));
  }

  private List<QueueItem> items() {
    List<QueueItem> q = client.queue().get().execute().getQueue().getItemsList();
    if (q.isEmpty()) {
      throw new UsageException("the queue is empty");
    }
    return q;
  }

  private QueueReply add(Args a) {
    String kind = a.next("what to add: track, album, folder, search, playlist or a path");
    List<String> trackIds = new ArrayList<>();
    switch (kind) {
      case "track" -> trackIds.addAll(nonEmpty(a.rest(), "track ids"));
      case "album" -> collect(TrackQuery.all().withAlbum(single(a, "album id")), trackIds);
      case "folder" -> {
        String dir = single(a, "directory");
        for (MusicFolder f : client.library().folders().execute().getFoldersList()) {
          collect(TrackQuery.all().withFolder(f.getId(), dir.replaceAll("/+$", "")), trackIds);
        }
      }
      case "search" -> {
        String q = String.join(" ", nonEmpty(a.rest(), "search words"));
        client
            .library()
            .search(q, 200)
            .execute()
            .getTracksList()
            .forEach(t -> trackIds.add(t.getId()));
      }
      case "playlist" -> {
        String id = single(a, "playlist id");
        client
            .playlists()
            .get(id)
            .execute()
            .getPlaylist()
            .getItemsList()
            .forEach(i -> trackIds.add(i.getTrackId()));
      }
      default -> {
        List<String> paths = new ArrayList<>();
        paths.add(kind);
        paths.addAll(a.rest());
        return client.queue().appendPaths(paths).execute();
      }
    }
    if (trackIds.isEmpty()) {
      throw new UsageException("nothing matched: no tracks to add");
    }
    return client.queue().appendTracks(trackIds).execute();
  }

  private void collect(TrackQuery q, List<String> into) {
    TrackQuery page = q.withLimit(500);
    while (true) {
      TrackList l = client.library().tracks(page).execute();
      for (LibraryTrack t : l.getTracksList()) {
        into.add(t.getId());
      }
      if (l.getPage().getNextCursor().isEmpty() || into.size() >= 10_000) {
        return;
      }
      page = page.withCursor(l.getPage().getNextCursor());
    }
  }

  private static String single(Args a, String what) {
    String v = a.next(what);
    a.end();
    return v;
  }

  private static List<String> nonEmpty(List<String> l, String what) {
    if (l.isEmpty()) {
      throw new UsageException("missing " + what);
    }
    return l;
  }

  static String list(QueueReply r) {
    StringBuilder b = new StringBuilder();
    int n = 1;
    for (QueueItem i : r.getQueue().getItemsList()) {
      var t = i.getTrack();
      String title = t.getTitle().isEmpty() ? t.getPath() : t.getTitle();
      b.append(
          String.format(
              "%4d  %s%s  [%s]%n",
              n++,
              t.getArtist().isEmpty() ? "" : t.getArtist() + " - ",
              title,
              PlayerCommands.clock(t.getDurationMs())));
    }
    return b.length() == 0 ? "(queue empty)" : b.toString().stripTrailing();
  }
}
