package io.tonearm.daemon.transport.http;

import io.tonearm.daemon.output.StreamFormat;
import java.util.List;
import java.util.Locale;

/**
 * Which audio stream a {@code GET} asks for: by path ({@code /stream/<format>}, a {@link
 * StreamFormat} name: {@code wav16}, {@code wav24}, {@code flac}, {@code flac24}, {@code opus},
 * {@code mp3}) or, on {@code /stream}, by its {@code Accept} header: the available format with the
 * highest quality value, the first listed on a tie ({@code audio/wav} and its aliases, {@code
 * audio/*}, {@code *}{@code /*} or no header: 16-bit WAV; {@code audio/flac}: 16-bit FLAC; {@code
 * audio/ogg} or {@code audio/opus}: Opus; {@code audio/mpeg} or {@code audio/mp3}: MP3). A format
 * this process cannot make (no libopus or libmp3lame) or an {@code Accept} naming only other types
 * is refused with the list of those it can. Stateless.
 *
 * @param format the format chosen, or null when none fits
 */
record StreamChoice(StreamFormat format) {

  private static final List<String> WAV_TYPES =
      List.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/*", "*/*");

  /**
   * The formats served here, as named in a 406's details and in {@code X-Tonearm-Stream-Format}.
   */
  static List<String> availableNames() {
    return StreamFormat.availableFormats().stream().map(StreamFormat::wireName).toList();
  }

  /** True for the paths this class answers: {@code /stream} and {@code /stream/<format>}. */
  static boolean handles(String path) {
    if (path.equals("/stream")) {
      return true;
    }
    return path.startsWith("/stream/")
        && StreamFormat.named(path.substring("/stream/".length())) != null;
  }

  /** The stream for a path {@link #handles} and an {@code Accept} header (null when absent). */
  static StreamChoice of(String path, String accept) {
    if (path.equals("/stream")) {
      return new StreamChoice(negotiate(accept));
    }
    StreamFormat f = StreamFormat.named(path.substring("/stream/".length()));
    return new StreamChoice(f != null && f.available() ? f : null);
  }

  /** The available format {@code accept} prefers, or null; 16-bit WAV when it is absent. */
  static StreamFormat negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return StreamFormat.WAV16;
    }
    StreamFormat best = null;
    double bestQ = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      StreamFormat f = typeFormat(parts[0].trim().toLowerCase(Locale.ROOT));
      double q = quality(parts);
      if (f != null && f.available() && q > bestQ) {
        best = f;
        bestQ = q;
      }
    }
    return best;
  }

  private static StreamFormat typeFormat(String type) {
    if (WAV_TYPES.contains(type)) {
      return StreamFormat.WAV16;
    }
    return switch (type) {
      case "audio/flac", "audio/x-flac" -> StreamFormat.FLAC;
      case "audio/ogg", "audio/opus" -> StreamFormat.OPUS;
      case "audio/mpeg", "audio/mp3" -> StreamFormat.MP3;
      default -> null;
    };
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
    return format != null;
  }

  /** The chosen format's name, one of {@link #availableNames()}. */
  String name() {
    return format.wireName();
  }
}
