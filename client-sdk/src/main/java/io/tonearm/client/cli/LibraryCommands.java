package io.tonearm.client.cli;

import io.tonearm.client.TonearmClient;
import io.tonearm.client.TrackQuery;
import io.tonearm.proto.v1.DirectoryList;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.MusicFolder;
import io.tonearm.proto.v1.TrackList;

/** {@code search QUERY}, {@code ls [DIR]}. */
final class LibraryCommands {
  private final TonearmClient client;
  private final Output o;

  LibraryCommands(TonearmClient client, Output o) {
    this.client = client;
    this.o = o;
  }

  void search(Args a) {
    String limit = a.flag("--limit");
    String q = String.join(" ", a.rest());
    if (q.isBlank()) {
      throw new UsageException("search needs words to look for");
    }
    TrackList l =
        client
            .library()
            .search(q, limit == null ? 50 : a.intValue("--limit", limit, 1, 200))
            .execute();
    StringBuilder b = new StringBuilder();
    for (LibraryTrack t : l.getTracksList()) {
      b.append(line(t)).append('\n');
    }
    o.print(l, b.length() == 0 ? "(no match)" : b.toString().stripTrailing());
  }

  /** Lists the music folders' subdirectories at DIR (and the tracks directly in it). */
  void ls(Args a) {
    String dir = a.optional();
    a.end();
    String d = dir == null ? "" : dir.replaceAll("^/+|/+$", "");
    StringBuilder b = new StringBuilder();
    boolean found = d.isEmpty();
    for (MusicFolder f : client.library().folders().execute().getFoldersList()) {
      DirectoryList l;
      try {
        l = client.library().dirs(f.getId(), d).execute();
      } catch (io.tonearm.client.ServerErrorException e) {
        if (e.status() == 404) {
          continue; // not in this folder
        }
        throw e;
      }
      if (l.getDirsCount() == 0 && l.getTrackCount() == 0) {
        continue;
      }
      found = true;
      if (o.json) {
        o.print(l, null);
        continue;
      }
      for (String sub : l.getDirsList()) {
        b.append(d.isEmpty() ? sub : d + "/" + sub).append("/\n");
      }
      if (l.getTrackCount() > 0) {
        TrackList tracks =
            client
                .library()
                .tracks(
                    TrackQuery.all().withFolder(f.getId(), d.isEmpty() ? null : d).withLimit(500))
                .execute();
        for (LibraryTrack t : tracks.getTracksList()) {
          String parent =
              t.getPath().contains("/")
                  ? t.getPath().substring(0, t.getPath().lastIndexOf('/'))
                  : "";
          if (parent.equals(d)) {
            b.append(t.getPath()).append('\n');
          }
        }
      }
    }
    if (!found) {
      throw new UsageException("no directory '" + d + "' in any music folder");
    }
    if (!o.json) {
      o.out.println(b.length() == 0 ? "(empty)" : b.toString().stripTrailing());
    }
  }

  static String line(LibraryTrack t) {
    return String.format(
        "%s  %s - %s - %s  [%s]",
        t.getId(),
        t.getArtist().isEmpty() ? "?" : t.getArtist(),
        t.getAlbum().isEmpty() ? "?" : t.getAlbum(),
        t.getTitle().isEmpty() ? t.getPath() : t.getTitle(),
        PlayerCommands.clock(t.getDurationMs()));
  }
}
