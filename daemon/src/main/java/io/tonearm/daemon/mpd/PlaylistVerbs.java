package io.tonearm.daemon.mpd;

import io.tonearm.daemon.playlists.Playlists;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.Playlist;
import io.tonearm.proto.v1.PlaylistItem;
import io.tonearm.proto.v1.PlaylistSummary;
import io.tonearm.proto.v1.QueueItem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Stored playlists, by name as MPD names them, over Tonearm's playlists (which hold library tracks
 * and have ids; the first playlist with a name is the one MPD's commands act on).
 */
final class PlaylistVerbs {
  private PlaylistVerbs() {}

  static void register(MpdService.Shared s) {
    Playlists pl = s.playlists();
    s.table()
        .add(
            "listplaylists",
            0,
            0,
            s.scopeOf("playlists.list"),
            c ->
                pl.list()
                    .thenAccept(
                        l -> {
                          for (PlaylistSummary p : l.getPlaylistsList()) {
                            c.reply().field("playlist", p.getName());
                            c.reply().field("Last-Modified", Songs.iso(p.getModifiedMs()));
                          }
                        }))
        .add(
            "listplaylist",
            1,
            2,
            s.scopeOf("playlists.get"),
            c ->
                named(s, c.arg(0))
                    .thenAccept(
                        p -> {
                          for (PlaylistItem i : window(p, c)) {
                            if (i.hasTrack()) {
                              c.reply().field("file", i.getTrack().getPath());
                            }
                          }
                        }))
        .add(
            "listplaylistinfo",
            1,
            2,
            s.scopeOf("playlists.get"),
            c ->
                named(s, c.arg(0))
                    .thenAccept(
                        p -> {
                          for (PlaylistItem i : window(p, c)) {
                            if (i.hasTrack()) {
                              Songs.write(c.reply(), i.getTrack(), c.session().tags());
                            }
                          }
                        }))
        .add(
            "playlistlength",
            1,
            1,
            s.scopeOf("playlists.get"),
            c ->
                named(s, c.arg(0))
                    .thenAccept(
                        p -> {
                          long ms = 0;
                          for (PlaylistItem i : p.getItemsList()) {
                            ms += i.getTrack().getDurationMs();
                          }
                          c.reply().field("songs", p.getItemsCount()).field("playtime", ms / 1000);
                        }))
        .add(
            "load",
            1,
            3,
            s.scopeOf("queue.append"),
            c ->
                named(s, c.arg(0))
                    .thenCompose(
                        p -> {
                          List<String> ids = new ArrayList<>();
                          for (PlaylistItem i : window(p, c)) {
                            ids.add(i.getTrackId());
                          }
                          if (ids.isEmpty()) {
                            return CompletableFuture.completedFuture(null);
                          }
                          if (c.has(2)) {
                            return PlaybackVerbs.done(
                                s.player()
                                    .insert(Args.unsigned(c.arg(2)), List.of(), ids, c.origin()));
                          }
                          return PlaybackVerbs.done(s.player().append(List.of(), ids, c.origin()));
                        }))
        .add("save", 1, 2, s.scopeOf("playlists.create"), c -> save(s, c))
        .add(
            "rm",
            1,
            1,
            s.scopeOf("playlists.delete"),
            c -> idOf(s, c.arg(0)).thenCompose(id -> PlaybackVerbs.done(pl.delete(id))))
        .add(
            "rename",
            2,
            2,
            s.scopeOf("playlists.rename"),
            c ->
                pl.list()
                    .thenCompose(
                        l -> {
                          if (find(l.getPlaylistsList(), c.arg(1)) != null) {
                            throw new AckException(AckException.EXIST, "Playlist already exists");
                          }
                          PlaylistSummary from = find(l.getPlaylistsList(), c.arg(0));
                          if (from == null) {
                            throw AckException.noExist("No such playlist");
                          }
                          return PlaybackVerbs.done(pl.rename(from.getId(), c.arg(1)));
                        }))
        .add(
            "playlistclear",
            1,
            1,
            s.scopeOf("playlists.clear"),
            c -> idOf(s, c.arg(0)).thenCompose(id -> PlaybackVerbs.done(pl.clear(id))))
        .add(
            "playlistdelete",
            2,
            2,
            s.scopeOf("playlists.remove"),
            c -> {
              int pos = Args.unsigned(c.arg(1));
              return named(s, c.arg(0))
                  .thenCompose(
                      p ->
                          PlaybackVerbs.done(
                              pl.remove(p.getSummary().getId(), List.of(itemAt(p, pos)))));
            })
        .add(
            "playlistmove",
            3,
            3,
            s.scopeOf("playlists.move"),
            c -> {
              int from = Args.unsigned(c.arg(1));
              int to = Args.unsigned(c.arg(2));
              return named(s, c.arg(0))
                  .thenCompose(
                      p -> {
                        if (to >= p.getItemsCount()) {
                          throw AckException.arg("Bad song index");
                        }
                        return PlaybackVerbs.done(
                            pl.move(p.getSummary().getId(), itemAt(p, from), to));
                      });
            })
        .add("playlistadd", 2, 3, s.scopeOf("playlists.add"), c -> playlistAdd(s, c));
  }

  private static CompletionStage<Void> save(MpdService.Shared s, Verb c) {
    String mode = c.has(1) ? c.arg(1) : "create";
    if (!mode.equals("create") && !mode.equals("append") && !mode.equals("replace")) {
      throw AckException.arg("Unrecognized save mode");
    }
    return s.player()
        .queue()
        .thenCompose(
            q -> {
              List<String> ids = new ArrayList<>();
              for (QueueItem i : q.getQueue().getItemsList()) {
                if (!i.getTrack().getTrackId().isEmpty()) {
                  ids.add(i.getTrack().getTrackId()); // files outside the library are left out
                }
              }
              return s.playlists()
                  .list()
                  .thenCompose(
                      l -> {
                        PlaylistSummary old = find(l.getPlaylistsList(), c.arg(0));
                        if (old == null) {
                          return PlaybackVerbs.done(s.playlists().create(c.arg(0), ids));
                        }
                        if (mode.equals("create")) {
                          throw new AckException(AckException.EXIST, "Playlist already exists");
                        }
                        CompletionStage<?> cleared =
                            mode.equals("replace")
                                ? s.playlists().clear(old.getId())
                                : CompletableFuture.completedFuture(null);
                        if (ids.isEmpty()) {
                          return PlaybackVerbs.done(cleared);
                        }
                        return PlaybackVerbs.done(
                            cleared.thenCompose(x -> s.playlists().add(old.getId(), ids, null)));
                      });
            });
  }

  private static CompletionStage<Void> playlistAdd(MpdService.Shared s, Verb c) {
    return s.index()
        .tree()
        .thenCompose(
            t -> {
              List<String> ids = new ArrayList<>();
              for (String path : DatabaseVerbs.resolve(t, c.arg(1), true)) {
                LibraryTrack track = t.byUri().get(path);
                if (track == null) {
                  throw AckException.noExist("No such song (playlists hold library songs)");
                }
                ids.add(track.getId());
              }
              Integer at = c.has(2) ? Args.unsigned(c.arg(2)) : null;
              return s.playlists()
                  .list()
                  .thenCompose(
                      l -> {
                        PlaylistSummary p = find(l.getPlaylistsList(), c.arg(0));
                        if (p == null) {
                          return PlaybackVerbs.done(s.playlists().create(c.arg(0), ids));
                        }
                        return PlaybackVerbs.done(s.playlists().add(p.getId(), ids, at));
                      });
            });
  }

  private static List<PlaylistItem> window(Playlist p, Verb c) {
    if (!c.has(1)) {
      return p.getItemsList();
    }
    Args.Range r = Args.range(c.arg(1)).clip(p.getItemsCount());
    return p.getItemsList().subList(r.start(), r.end());
  }

  private static String itemAt(Playlist p, int pos) {
    if (pos >= p.getItemsCount()) {
      throw AckException.arg("Bad song index");
    }
    return p.getItems(pos).getItemId();
  }

  private static PlaylistSummary find(List<PlaylistSummary> all, String name) {
    for (PlaylistSummary p : all) {
      if (p.getName().equals(name)) {
        return p;
      }
    }
    return null;
  }

  private static CompletionStage<String> idOf(MpdService.Shared s, String name) {
    return s.playlists()
        .list()
        .thenApply(
            l -> {
              PlaylistSummary p = find(l.getPlaylistsList(), name);
              if (p == null) {
                throw AckException.noExist("No such playlist");
              }
              return p.getId();
            });
  }

  private static CompletionStage<Playlist> named(MpdService.Shared s, String name) {
    return idOf(s, name).thenCompose(id -> s.playlists().get(id));
  }
}
