package io.tonearm.daemon.library;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Stable ids: 16 hex digits of SHA-1 over a path or a normalized name. The same file or name gets
 * the same id across rescans and database rebuilds, and an id can never smuggle a path.
 */
final class Ids {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** One SHA-1 per thread: a scan derives four ids per track, each lookup of the provider costs. */
  private static final ThreadLocal<MessageDigest> SHA1 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JDK has SHA-1", e);
            }
          });

  private Ids() {}

  /** The id of a file or folder, from its real absolute path. */
  static String ofPath(String realPath) {
    return hash(realPath);
  }

  /** The id of an artist name; names equal after {@link #normalize} share an id. */
  static String ofArtist(String name) {
    return hash("artist\0" + normalize(name));
  }

  /** The id of an album, by its album artist (else artist) and title. */
  static String ofAlbum(String albumArtist, String title) {
    return hash("album\0" + normalize(albumArtist) + "\0" + normalize(title));
  }

  /** The id of an image, from its bytes. */
  static String ofBytes(byte[] bytes) {
    return HexFormat.of().formatHex(sha1(bytes), 0, 8);
  }

  /** True when {@code s} has the shape of an id (so it is safe to use in a file name or query). */
  static boolean valid(String s) {
    return s != null && ID.matcher(s).matches();
  }

  /** Case-, width- and space-insensitive form of a name, for grouping and sorting. */
  static String normalize(String s) {
    String n = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
    return SPACES.matcher(n).replaceAll(" ");
  }

  private static String hash(String s) {
    return HexFormat.of().formatHex(sha1(s.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }

  private static byte[] sha1(byte[] b) {
    return SHA1.get().digest(b); // digest() resets it for the next use
  }
}
