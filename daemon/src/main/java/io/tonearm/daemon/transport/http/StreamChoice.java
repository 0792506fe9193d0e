package io.tonearm.daemon.transport.http;

import java.util.List;
import java.util.Locale;

/**
 * Which audio stream a {@code GET} asks for: by path ({@code /stream/wav16}, {@code /stream/wav24})
 * or, on {@code /stream}, by its {@code Accept} header (16-bit WAV when it accepts {@code
 * audio/wav}, any audio type or any type, or says nothing). Formats the daemon cannot make ({@code
 * /stream/flac}, {@code /stream/opus}, {@code /stream/mp3}, or an {@code Accept} naming only other
 * types) are refused with the list of those it can. Stateless.
 *
 * @param bits the word length of the WAV stream chosen, or 0 when none fits
 */
record StreamChoice(int bits) {

  /** The formats served, as named in a 406's details and in {@code X-Tonearm-Stream-Format}. */
  static final List<String> AVAILABLE = List.of("wav16", "wav24");

  /** Known formats without an encoder in this build: their paths answer 406, not 404. */
  private static final List<String> UNAVAILABLE = List.of("flac", "opus", "mp3");

  private static final List<String> WAV_TYPES =
      List.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/*", "*/*");

  /** True for the paths this class answers: {@code /stream} and {@code /stream/<format>}. */
  static boolean handles(String path) {
    if (path.equals("/stream")) {
      return true;
    }
    if (!path.startsWith("/stream/")) {
      return false;
    }
    String f = path.substring("/stream/".length());
    return AVAILABLE.contains(f) || UNAVAILABLE.contains(f);
  }

  /** The stream for a path {@link #handles} and an {@code Accept} header (null when absent). */
  static StreamChoice of(String path, String accept) {
    switch (path) {
      case "/stream/wav16":
        return new StreamChoice(16);
      case "/stream/wav24":
        return new StreamChoice(24);
      case "/stream":
        return new StreamChoice(acceptsWav(accept) ? 16 : 0);
      default:
        return new StreamChoice(0);
    }
  }

  /** True when {@code accept} is absent or accepts WAV with a quality above 0. */
  static boolean acceptsWav(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      if (WAV_TYPES.contains(type) && quality(parts) > 0) {
        return true;
      }
    }
    return false;
  }

  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.startsWith("q=")) {
        try {
          return Double.parseDouble(p.substring(2));
        } catch (NumberFormatException e) {
          return 0; // a malformed quality accepts nothing
        }
      }
    }
    return 1;
  }

  /** True when a stream fits the request. */
  boolean available() {
    return bits != 0;
  }

  /** The chosen format's name, one of {@link #AVAILABLE}. */
  String name() {
    return "wav" + bits;
  }
}
