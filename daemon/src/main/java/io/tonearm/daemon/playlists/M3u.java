package io.tonearm.daemon.playlists;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.library.Library;
import io.tonearm.proto.v1.Playlist;
import io.tonearm.proto.v1.PlaylistItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * M3U and M3U8 (UTF-8) playlists. Import resolves each entry to a library track by path: an
 * absolute path, or one relative to a music folder; a path that lies outside every music folder is
 * never touched on disk and counts as unresolved. Export writes extended M3U with absolute paths.
 */
final class M3u {
  /** Largest M3U accepted, in bytes. */
  static final int MAX_BYTES = 1024 * 1024;

  private M3u() {}

  /** Resolved track ids and the entries that named no track. */
  record Parsed(List<String> trackIds, List<String> unresolved) {}

  static Parsed parse(byte[] body, List<Path> roots, Connection c) throws SQLException {
    if (body.length > MAX_BYTES) {
      throw new DomainException(
          DomainException.Kind.TOO_LARGE, "too_large", "M3U larger than " + MAX_BYTES + " bytes");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> ids = new ArrayList<>();
    List<String> unresolved = new ArrayList<>();
    for (String raw : text.split("\r\n|\r|\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Optional<String> id = resolve(line, roots, c);
      if (id.isPresent()) {
        ids.add(id.get());
      } else {
        unresolved.add(line.length() > 300 ? line.substring(0, 300) : line);
      }
    }
    if (ids.size() > Playlists.MAX_ITEMS) {
      throw DomainException.outOfRange("playlist size", ids.size(), "0 to " + Playlists.MAX_ITEMS);
    }
    return new Parsed(ids, unresolved);
  }

  private static Optional<String> resolve(String entry, List<Path> roots, Connection c)
      throws SQLException {
    if (entry.contains("://") || entry.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    String unix = entry.replace('\\', '/');
    try {
      Path p = Path.of(unix);
      List<Path> candidates = new ArrayList<>();
      if (p.isAbsolute()) {
        candidates.add(p.normalize());
      } else {
        roots.forEach(r -> candidates.add(r.resolve(p).normalize()));
      }
      for (Path cand : candidates) {
        if (roots.stream().noneMatch(cand::startsWith)) {
          continue; // outside every music folder: never looked at
        }
        Optional<String> id = Library.trackIdByPath(c, cand.toString());
        if (id.isEmpty()) {
          try {
            Path real = cand.toRealPath();
            if (roots.stream().anyMatch(real::startsWith)) {
              id = Library.trackIdByPath(c, real.toString());
            }
          } catch (IOException e) {
            id = Optional.empty();
          }
        }
        if (id.isPresent()) {
          return id;
        }
      }
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  static byte[] export(Playlist p, Connection c) throws SQLException {
    StringBuilder b = new StringBuilder("#EXTM3U\n");
    b.append("#PLAYLIST:").append(p.getSummary().getName()).append('\n');
    for (PlaylistItem i : p.getItemsList()) {
      Optional<String> path = Library.pathOf(c, i.getTrackId());
      if (path.isEmpty()) {
        continue;
      }
      var t = i.getTrack();
      b.append("#EXTINF:")
          .append(t.getDurationMs() > 0 ? (t.getDurationMs() + 500) / 1000 : -1)
          .append(',')
          .append(t.getArtist().isEmpty() ? "" : t.getArtist() + " - ")
          .append(t.getTitle().replace('\n', ' '))
          .append('\n')
          .append(path.get())
          .append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
