package io.tonearm.daemon.mpd;

import io.tonearm.daemon.access.Scope;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * MPD's {@code listfiles [URI]}: what a directory of the music folders holds on disk, songs or not
 * (cover images, cue sheets, files the scan skipped), as MPD's storage listing prints it: {@code
 * file: NAME}, {@code size: BYTES} and {@code directory: NAME}, each with {@code Last-Modified}.
 * Symbolic links and special files are left out (MPD reads entries without following links), as are
 * names with a newline.
 *
 * <p>Unlike MPD 0.23, which lists any directory a relative URI names (also {@code ../} above its
 * music directory), a URI with a {@code .} or {@code ..} segment is refused, and a directory is
 * listed only when its real path is inside a music folder. Errors name no real path. With several
 * music folders the root lists all of them, the first folder's entry first for a shared name; a
 * subdirectory is the first folder's that has it. The listing runs on a library thread.
 */
final class FileVerbs {
  private FileVerbs() {}

  static void register(MpdService.Shared s) {
    s.table().add("listfiles", 0, 1, Scope.READ, c -> listfiles(s, c));
  }

  private static CompletionStage<Void> listfiles(MpdService.Shared s, Verb c) {
    String uri = c.has(0) ? c.arg(0) : "";
    if (uri.startsWith("/") || uri.contains("://")) {
      // MPD: an absolute path is a local file, which only a local-socket client may list.
      throw new AckException(AckException.PERMISSION, "Access denied");
    }
    String rel = DatabaseVerbs.strip(uri);
    for (String seg : rel.split("/", -1)) {
      if (!rel.isEmpty() && (seg.isEmpty() || seg.equals(".") || seg.equals(".."))) {
        throw AckException.arg("Malformed URI");
      }
    }
    List<Path> roots = s.library().folderRoots();
    return s.library()
        .read(
            ignored -> {
              Map<String, BasicFileAttributes> entries = new TreeMap<>();
              boolean found = false;
              boolean notDir = false;
              for (Path root : roots) {
                Path dir = rel.isEmpty() ? root : root.resolve(rel);
                try {
                  if (!dir.toRealPath().startsWith(root.toRealPath())) {
                    continue; // a link out of the music folder
                  }
                  list(dir, entries);
                  found = true;
                  if (!rel.isEmpty()) {
                    break;
                  }
                } catch (NotDirectoryException e) {
                  notDir = true;
                } catch (NoSuchFileException e) {
                  // not in this folder
                } catch (IOException | SecurityException e) {
                  // unreadable: as absent
                }
              }
              if (!found) {
                throw notDir
                    ? new AckException(AckException.SYSTEM, "Not a directory")
                    : AckException.noExist("No such directory");
              }
              return entries;
            })
        .thenAccept(
            entries ->
                entries.forEach(
                    (name, a) -> {
                      if (a.isDirectory()) {
                        c.reply().field("directory", name);
                      } else {
                        c.reply().field("file", name).field("size", a.size());
                      }
                      long ms = a.lastModifiedTime().toMillis();
                      if (ms > 0) {
                        c.reply().field("Last-Modified", Songs.iso(ms));
                      }
                    }));
  }

  private static void list(Path dir, Map<String, BasicFileAttributes> into) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.indexOf('\n') >= 0 || into.containsKey(name)) {
          continue;
        }
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          continue; // gone meanwhile
        }
        if (a.isRegularFile() || a.isDirectory()) {
          into.put(name, a);
        }
      }
    }
  }
}
