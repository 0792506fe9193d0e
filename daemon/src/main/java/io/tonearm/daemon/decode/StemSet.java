package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds the stems of a stem set and opens them as one {@link StemSetDecoder}. Two forms:
 *
 * <ul>
 *   <li>A folder (the library takes folders named {@code *.stems}) holding one audio file per stem.
 *       With a manifest {@code stems.txt} in it, the stems are the lines {@code name = file} (file
 *       relative to the folder, never outside it), in order; a line may end with {@code ; vocal} or
 *       {@code ; instrumental} to set the stem's role. Without one, the naming rule: every audio
 *       file in the folder is a stem named after its file name without the extension ({@code
 *       vocals.flac} is stem "vocals"), in name order. A stem is vocal when its name says so (see
 *       {@link StemLayout#vocalName}).
 *   <li>An NI Stems file ({@code *.stem.mp4}, {@code *.stem.m4a}): audio stream 0 is the master
 *       mix, streams 1 to 4 the stems in NI's order (drums, bass, other, vocals); each stem is
 *       decoded by ffmpeg mapped to its stream ({@code -map 0:a:N}).
 * </ul>
 *
 * Stateless; any thread. Blocking file I/O.
 */
public final class StemSet {

  /** The manifest's file name inside a stem folder. */
  public static final String MANIFEST = "stems.txt";

  /** Largest manifest read, bytes. */
  static final int MAX_MANIFEST_BYTES = 16 * 1024;

  /** Stem names NI Stems gives streams 1 to 4. */
  static final List<String> NI_NAMES = List.of("drums", "bass", "other", "vocals");

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_ .-]{0,31}");

  /** File extensions of stem files under the naming rule (lower case). */
  public static final Set<String> AUDIO =
      Set.of("flac", "wav", "aif", "aiff", "mp3", "ogg", "oga", "opus", "m4a", "mp4", "wv", "ape");

  /** One stem: its name, its file, whether it is a vocal stem. */
  public record Stem(String name, Path file, boolean vocal) {}

  private StemSet() {}

  /** True for a file name NI Stems uses. */
  public static boolean isNiStem(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    return n.endsWith(".stem.mp4") || n.endsWith(".stem.m4a");
  }

  /**
   * The stems of folder {@code dir}, by its manifest or the naming rule.
   *
   * @throws IOException naming the problem (a manifest line, a missing file, no stems at all)
   */
  public static List<Stem> list(Path dir) throws IOException {
    Path manifest = dir.resolve(MANIFEST);
    List<Stem> stems = Files.isRegularFile(manifest) ? manifest(dir, manifest) : byName(dir);
    if (stems.isEmpty()) {
      throw new UnsupportedFormatException("stem folder " + dir.getFileName() + " has no stems");
    }
    if (stems.size() > StemLayout.MAX_STEMS) {
      throw new UnsupportedFormatException(
          "stem folder "
              + dir.getFileName()
              + " has "
              + stems.size()
              + " stems; at most "
              + StemLayout.MAX_STEMS);
    }
    return stems;
  }

  private static List<Stem> manifest(Path dir, Path manifest) throws IOException {
    if (Files.size(manifest) > MAX_MANIFEST_BYTES) {
      throw new IOException(MANIFEST + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
    }
    Path root = dir.toRealPath();
    List<Stem> stems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int lineNo = 0;
    for (String raw : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = MANIFEST + " line " + lineNo + ": ";
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IOException(where + "expected \"name = file\"");
      }
      String name = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String rest = line.substring(eq + 1);
      Boolean role = null;
      int semi = rest.lastIndexOf(';');
      if (semi >= 0) {
        String r = rest.substring(semi + 1).strip().toLowerCase(Locale.ROOT);
        if (!r.equals("vocal") && !r.equals("instrumental")) {
          throw new IOException(where + "role must be vocal or instrumental, got \"" + r + "\"");
        }
        role = r.equals("vocal");
        rest = rest.substring(0, semi);
      }
      String file = rest.strip();
      if (!NAME.matcher(name).matches()) {
        throw new IOException(
            where + "stem name must be 1-32 of a-z 0-9 _ . - and space, got \"" + name + "\"");
      }
      if (!names.add(name)) {
        throw new IOException(where + "stem " + name + " named twice");
      }
      Path p = dir.resolve(file).normalize();
      if (file.isEmpty() || !p.startsWith(dir.normalize())) {
        throw new IOException(where + "stem file must be inside the stem folder: \"" + file + "\"");
      }
      Path real;
      try {
        real = p.toRealPath();
      } catch (NoSuchFileException e) {
        throw new IOException(where + "stem " + name + ": file " + file + " not found");
      }
      if (!real.startsWith(root) || !Files.isRegularFile(real)) {
        throw new IOException(
            where + "stem " + name + ": " + file + " is not a file in the folder");
      }
      stems.add(new Stem(name, real, role != null ? role : StemLayout.vocalName(name)));
    }
    return stems;
  }

  private static List<Stem> byName(Path dir) throws IOException {
    TreeMap<String, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String file = p.getFileName().toString();
        int dot = file.lastIndexOf('.');
        if (dot <= 0 || !Files.isRegularFile(p)) {
          continue;
        }
        String ext = file.substring(dot + 1).toLowerCase(Locale.ROOT);
        String name = file.substring(0, dot).toLowerCase(Locale.ROOT);
        if (AUDIO.contains(ext) && NAME.matcher(name).matches()) {
          if (found.put(name, p) != null) {
            throw new IOException("two files for stem " + name + " in " + dir.getFileName());
          }
        }
      }
    }
    List<Stem> stems = new ArrayList<>();
    found.forEach((name, p) -> stems.add(new Stem(name, p, StemLayout.vocalName(name))));
    return stems;
  }

  /** Opens the stem folder {@code dir}. */
  static Decoder openFolder(Path dir) throws IOException {
    List<Stem> stems = list(dir);
    List<Decoder> open = new ArrayList<>();
    try {
      for (Stem s : stems) {
        try {
          open.add(Decoders.open(s.file()));
        } catch (IOException e) {
          throw new IOException("stem " + s.name() + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException | RuntimeException e) {
      StemSetDecoder.closeAll(open);
      throw e;
    }
    return new StemSetDecoder(
        open,
        new StemLayout(
            stems.stream().map(Stem::name).toList(), stems.stream().map(Stem::vocal).toList()));
  }

  /** Opens an NI Stems file: streams 1.. of its audio streams through ffmpeg. */
  static Decoder openNiStem(Path file) throws IOException {
    int streams = FfmpegDecoder.audioStreams(file);
    if (streams < 3) {
      throw new UnsupportedFormatException(
          "not an NI Stems file: " + streams + " audio stream(s), a master and stems expected");
    }
    int count = Math.min(StemLayout.MAX_STEMS, streams - 1);
    List<String> names = new ArrayList<>();
    List<Boolean> vocal = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String n = count == NI_NAMES.size() ? NI_NAMES.get(i) : "stem " + (i + 1);
      names.add(n);
      vocal.add(StemLayout.vocalName(n));
    }
    List<Decoder> open = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        open.add(FfmpegDecoder.open(file, i + 1));
      }
    } catch (IOException | RuntimeException e) {
      StemSetDecoder.closeAll(open);
      throw e;
    }
    return new StemSetDecoder(open, new StemLayout(names, vocal));
  }
}
