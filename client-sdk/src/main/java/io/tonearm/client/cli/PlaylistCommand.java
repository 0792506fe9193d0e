package io.tonearm.client.cli;

import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.PlaylistList;
import io.tonearm.proto.v1.PlaylistSummary;
import io.tonearm.proto.v1.QueueItem;
import java.util.ArrayList;
import java.util.List;

/** {@code playlists [list]}, {@code playlists load ID}, {@code save NAME}, {@code delete ID}. */
final class PlaylistCommand {
  private final TonearmClient client;
  private final Output o;

  PlaylistCommand(TonearmClient client, Output o) {
    this.client = client;
    this.o = o;
  }

  void run(Args a) {
    String sub = a.optional();
    switch (sub == null ? "list" : sub) {
      case "list" -> {
        a.end();
        PlaylistList l = client.playlists().list().execute();
        StringBuilder b = new StringBuilder();
        for (PlaylistSummary p : l.getPlaylistsList()) {
          b.append(String.format("%s  %s (%d items)%n", p.getId(), p.getName(), p.getItemCount()));
        }
        o.print(l, b.length() == 0 ? "(no playlists)" : b.toString().stripTrailing());
      }
      case "load" -> {
        String id = a.next("playlist id");
        a.end();
        List<String> tracks = new ArrayList<>();
        client
            .playlists()
            .get(id)
            .execute()
            .getPlaylist()
            .getItemsList()
            .forEach(i -> tracks.add(i.getTrackId()));
        if (tracks.isEmpty()) {
          throw new UsageException("playlist " + id + " is empty");
        }
        var r = client.queue().appendTracks(tracks).execute();
        o.print(r, "added " + tracks.size() + " tracks to the queue");
      }
      case "save" -> {
        String name = String.join(" ", a.rest());
        if (name.isBlank()) {
          throw new UsageException("playlists save needs a name");
        }
        List<String> tracks = new ArrayList<>();
        for (QueueItem i : client.queue().get().execute().getQueue().getItemsList()) {
          if (!i.getTrack().getTrackId().isEmpty()) {
            tracks.add(i.getTrack().getTrackId());
          }
        }
        var r = client.playlists().create(name, tracks).execute();
        o.print(
            r,
            "saved "
                + tracks.size()
                + " tracks as "
                + r.getPlaylist().getSummary().getId()
                + " '"
                + name
                + "'");
      }
      case "delete" -> {
        String id = a.next("playlist id");
        a.end();
        o.print(client.playlists().delete(id).execute(), "deleted " + id);
      }
      default -> throw new UsageException("unknown playlists command '" + sub + "'");
    }
  }
}
