package io.tonearm.daemon.library;

import io.tonearm.daemon.decode.StemSet;
import io.tonearm.daemon.errors.DomainException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks an uploaded stem set: a ZIP archive of separate stem files, as a stem folder holds them
 * ({@code vocals.flac}, {@code drums.flac}..., optionally {@code stems.txt} and {@code
 * lyrics.lrc}), flat or all inside one folder. Bounded and strict, since the archive comes from the
 * network:
 *
 * <ul>
 *   <li>at most {@link #MAX_ENTRIES} entries, and at most {@link Uploads#MAX_BYTES} unpacked in
 *       all, counted while unpacking (a ZIP's declared sizes are not trusted);
 *   <li>every file a plain name (the rules of {@link Uploads#checkName}: no {@code /} or {@code \}
 *       beyond the one folder, no {@code ..}, no dot first, no control characters), not twice, and
 *       either an audio file the stem rule takes ({@code StemSet}'s extensions), {@code stems.txt}
 *       or {@code lyrics.lrc};
 *   <li>no encrypted or otherwise unreadable entries.
 * </ul>
 *
 * Anything else refuses the whole set with a {@link DomainException} naming the entry. Files are
 * created new in an empty directory of the caller's; the caller deletes it on any failure.
 * Stateless; blocking I/O, on a job worker.
 */
final class StemArchive {

  /** Entries (files and folders) an archive may hold. */
  static final int MAX_ENTRIES = 32;

  private static final byte[] MAGIC = {'P', 'K', 3, 4};
  private static final Set<String> EXTRA = Set.of(StemSet.MANIFEST, "lyrics.lrc");

  private StemArchive() {}

  /** True when {@code file} starts as a ZIP archive does (a local file header). */
  static boolean looksLikeZip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return java.util.Arrays.equals(head, MAGIC);
    }
  }

  /**
   * Unpacks {@code archive} into {@code into} (an empty directory).
   *
   * @param name the set's upload name, for messages
   * @return the files written
   * @throws DomainException 422 {@code not_audio} when it is not a readable ZIP, 422 {@code
   *     bad_name} naming an entry that is not a plain stem, manifest or lyrics file, 413 {@code
   *     too_large} past the bound
   */
  static List<Path> unpack(Path archive, Path into, String name) throws IOException {
    if (!looksLikeZip(archive)) {
      throw refused("not_audio", name, "it is not a ZIP archive of stem files");
    }
    List<Path> written = new ArrayList<>();
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      if (zip.size() > MAX_ENTRIES) {
        throw refused(
            "bad_name", name, "it holds " + zip.size() + " entries; at most " + MAX_ENTRIES);
      }
      String folder = commonFolder(zip, name);
      Set<String> seen = new HashSet<>();
      long total = 0;
      byte[] buf = new byte[64 * 1024];
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (entry.isDirectory()) {
          continue; // only the one folder passed commonFolder
        }
        String file = entry.getName().substring(folder.length());
        checkEntry(name, entry.getName(), file);
        if (!seen.add(file.toLowerCase(Locale.ROOT))) {
          throw refused("bad_name", name, "entry '" + shown(entry.getName()) + "' is there twice");
        }
        Path target = into.resolve(file);
        written.add(target);
        try (InputStream in = zip.getInputStream(entry);
            OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > Uploads.MAX_BYTES) {
              throw Uploads.tooLarge();
            }
            out.write(buf, 0, n);
          }
        }
      }
    } catch (ZipException e) {
      throw refused("not_audio", name, "its ZIP archive is unreadable: " + e.getMessage());
    }
    return written;
  }

  /** The one folder every entry is in ({@code "Song.stems/"}), or "" when the entries are flat. */
  private static String commonFolder(ZipFile zip, String name) {
    String folder = null;
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      String n = e.nextElement().getName();
      int slash = n.indexOf('/');
      String f = slash < 0 ? "" : n.substring(0, slash + 1);
      if (folder == null) {
        folder = f;
      } else if (!folder.equals(f)) {
        folder = "";
        break;
      }
    }
    if (folder == null || folder.isEmpty()) {
      return "";
    }
    checkEntry(name, folder, folder.substring(0, folder.length() - 1));
    return folder;
  }

  /**
   * Refuses an entry whose name (within the folder) is not a plain stem, manifest or lyrics file.
   */
  private static void checkEntry(String set, String entry, String file) {
    String why = null;
    if (file.isEmpty() || file.length() > Uploads.MAX_NAME_CHARS) {
      why = "must be 1 to " + Uploads.MAX_NAME_CHARS + " characters";
    } else if (file.indexOf('/') >= 0 || file.indexOf('\\') >= 0) {
      why = "must be a file of the set (flat, or all in one folder), without \\ or deeper folders";
    } else if (file.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      why = "must not hold control characters";
    } else if (file.startsWith(".")) {
      why = "must not start with a dot";
    } else if (file.endsWith(" ") || file.endsWith(".")) {
      why = "must not end with a space or a dot";
    }
    if (why == null && !entry.endsWith("/")) {
      int dot = file.lastIndexOf('.');
      String ext = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
      if (!StemSet.AUDIO.contains(ext) && !EXTRA.contains(file.toLowerCase(Locale.ROOT))) {
        why =
            "is not a stem ("
                + String.join(", ", StemSet.AUDIO.stream().sorted().toList())
                + "), "
                + StemSet.MANIFEST
                + " or lyrics.lrc";
      }
    }
    if (why != null) {
      throw refused("bad_name", set, "entry '" + shown(entry) + "' " + why);
    }
  }

  private static String shown(String s) {
    String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }

  private static DomainException refused(String code, String name, String why) {
    return new DomainException(
        DomainException.Kind.UNPROCESSABLE,
        code,
        "stem set upload '" + name + "' refused: " + why,
        Map.of("field", "body"));
  }
}
