package io.tonearm.daemon.library;

import io.tonearm.proto.v1.LibraryTrack;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Whole-library reads for protocols that browse by file (MPD's database commands): every track in
 * path order, and a track's cover picture. Thread-safe; each read runs on the library's reader pool
 * and completes there.
 */
public final class LibraryBrowser {

  /** A picture: its bytes and MIME type. */
  public record Picture(byte[] bytes, String mimeType) {}

  private final Library library;

  public LibraryBrowser(Library library) {
    this.library = library;
  }

  /** Every stored track, ordered by folder then relative path (lyrics left out). */
  public CompletionStage<List<LibraryTrack>> all() {
    return library.read(
        c -> {
          List<LibraryTrack> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT "
                          + LibraryProtos.TRACK_COLUMNS
                          + " FROM tracks t ORDER BY t.folder_id, t.rel_path");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(LibraryProtos.track(rs));
            }
          }
          return out;
        });
  }

  /** The cover of a track (embedded or from its folder), when the library has one. */
  public CompletionStage<Optional<Picture>> picture(String trackId) {
    return library.read(
        c -> {
          Optional<String> art = LibraryQueries.artworkOf(c, "tracks", trackId);
          if (art.isEmpty()) {
            return Optional.empty();
          }
          Optional<String> mime = LibraryQueries.artworkMime(c, art.get());
          try {
            return library
                .artwork()
                .get(art.get())
                .map(b -> new Picture(b, mime.orElse("application/octet-stream")));
          } catch (IOException e) {
            return Optional.empty();
          }
        });
  }
}
