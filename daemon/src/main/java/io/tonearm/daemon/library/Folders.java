package io.tonearm.daemon.library;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.proto.v1.LibraryChanged;
import io.tonearm.proto.v1.MusicFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Music folders: added and removed at run time, persisted in the store. A folder is kept by its
 * real path; folders may not nest (a file belongs to exactly one folder). Blocking: call off the
 * event loop.
 */
public final class Folders {
  /** Longest accepted folder path, in chars. */
  public static final int MAX_PATH = 4096;

  private final Library library;

  Folders(Library library) {
    this.library = library;
  }

  /** A folder change and the seq of its event. */
  public record Change(long seq, MusicFolder folder) {}

  /**
   * Adds a folder.
   *
   * @throws DomainException 400 when the path is not an absolute path of a readable directory, 409
   *     when it is, contains or lies inside a music folder
   */
  public Change add(String path) throws SQLException {
    if (path == null || path.isEmpty() || path.length() > MAX_PATH || path.indexOf('\0') >= 0) {
      throw DomainException.badRequest(
          "path must be an absolute directory path of 1 to 4096 chars");
    }
    Path real;
    try {
      Path p = Path.of(path);
      if (!p.isAbsolute()) {
        throw DomainException.badRequest("path must be absolute: " + path);
      }
      real = p.toRealPath();
    } catch (InvalidPathException | IOException e) {
      throw DomainException.badRequest("not an existing directory: " + path);
    }
    if (!Files.isDirectory(real) || !Files.isReadable(real)) {
      throw DomainException.badRequest("not a readable directory: " + path);
    }
    String id = Ids.ofPath(real.toString());
    MusicFolder folder =
        MusicFolder.newBuilder().setId(id).setPath(real.toString()).setAvailable(true).build();
    synchronized (library.db()) {
      library
          .db()
          .write(
              c -> {
                for (MusicFolder f : list(c)) {
                  Path other = Path.of(f.getPath());
                  if (other.startsWith(real) || real.startsWith(other)) {
                    throw DomainException.conflict(
                        "folder " + real + " overlaps music folder " + f.getPath());
                  }
                }
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "INSERT INTO folders(id, path, added_ms, available) VALUES (?,?,?,1)")) {
                  ps.setString(1, id);
                  ps.setString(2, real.toString());
                  ps.setLong(3, System.currentTimeMillis());
                  ps.executeUpdate();
                }
                return null;
              });
      library.refreshRoots();
      long seq =
          library.publish(
              LibraryChanged.newBuilder()
                  .setFolderAdded(LibraryChanged.FolderAdded.newBuilder().setFolder(folder)));
      library.watcher().watch(id, real);
      return new Change(seq, folder);
    }
  }

  /**
   * Adds a folder unless it is already one (same real path): for {@code --music DIR} at start.
   *
   * @return the folder, new or existing
   * @throws DomainException as {@link #add} for a bad path or an overlap with another folder
   */
  public MusicFolder ensure(String path) throws SQLException {
    try {
      String real = Path.of(path).toRealPath().toString();
      for (MusicFolder f : list()) {
        if (f.getPath().equals(real)) {
          return f;
        }
      }
    } catch (InvalidPathException | IOException e) {
      // add() reports the bad path
    }
    return add(path).folder();
  }

  /**
   * Removes a folder and all its tracks. Waits for a running scan to finish first.
   *
   * @throws DomainException 404 for an unknown id
   */
  public Change remove(String id) throws SQLException, InterruptedException {
    if (!Ids.valid(id)) {
      throw DomainException.notFound("folder", clip(id));
    }
    library.scanLock().lockInterruptibly();
    try {
      synchronized (library.db()) {
        MusicFolder folder =
            library
                .db()
                .write(c -> list(c).stream().filter(f -> f.getId().equals(id)).findFirst())
                .orElseThrow(() -> DomainException.notFound("folder", id));
        List<String> trackIds = new ArrayList<>();
        List<String> goneArt =
            library
                .db()
                .write(
                    c -> {
                      try (PreparedStatement ps =
                          c.prepareStatement("SELECT id FROM tracks WHERE folder_id = ?")) {
                        ps.setString(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                          while (rs.next()) {
                            trackIds.add(rs.getString(1));
                          }
                        }
                      }
                      for (String table : new String[] {"tracks", "file_errors"}) {
                        try (PreparedStatement ps =
                            c.prepareStatement("DELETE FROM " + table + " WHERE folder_id = ?")) {
                          ps.setString(1, id);
                          ps.executeUpdate();
                        }
                      }
                      try (PreparedStatement ps =
                          c.prepareStatement("DELETE FROM folders WHERE id = ?")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                      }
                      return TrackWriter.removeOrphans(c);
                    });
        library.refreshRoots();
        library.watcher().unwatch(id);
        long seq =
            library.publish(
                LibraryChanged.newBuilder()
                    .setFolderRemoved(
                        LibraryChanged.FolderRemoved.newBuilder()
                            .setFolderId(id)
                            .addAllTrackIds(trackIds)));
        library.dropArtwork(goneArt);
        return new Change(seq, folder);
      }
    } finally {
      library.scanLock().unlock();
    }
  }

  /** Every folder with its track count. */
  public List<MusicFolder> list() throws SQLException {
    return list(library.db().reader());
  }

  /** The folders to scan for these ids (all when empty). */
  List<FolderScan.Folder> resolve(List<String> ids) throws SQLException {
    List<MusicFolder> all = list();
    List<FolderScan.Folder> out = new ArrayList<>();
    for (String id : ids) {
      MusicFolder f =
          all.stream()
              .filter(m -> m.getId().equals(id))
              .findFirst()
              .orElseThrow(() -> DomainException.notFound("folder", clip(id)));
      out.add(new FolderScan.Folder(f.getId(), Path.of(f.getPath())));
    }
    if (ids.isEmpty()) {
      all.forEach(f -> out.add(new FolderScan.Folder(f.getId(), Path.of(f.getPath()))));
    }
    return out;
  }

  static List<MusicFolder> list(Connection c) throws SQLException {
    List<MusicFolder> out = new ArrayList<>();
    try (var st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT f.id, f.path, f.available, (SELECT count(*) FROM tracks t WHERE t.folder_id"
                    + " = f.id) FROM folders f ORDER BY f.path")) {
      while (rs.next()) {
        out.add(
            MusicFolder.newBuilder()
                .setId(rs.getString(1))
                .setPath(rs.getString(2))
                .setAvailable(rs.getBoolean(3))
                .setTrackCount(rs.getInt(4))
                .build());
      }
    }
    return out;
  }

  static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
