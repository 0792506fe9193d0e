package io.tonearm.daemon.mpd;

/** MPD's argument forms: integers, booleans, ranges {@code START:END}, seconds as decimals. */
final class Args {
  private Args() {}

  /** A half-open range of positions; {@code end} is {@link Integer#MAX_VALUE} when left open. */
  record Range(int start, int end) {
    Range clip(int size) {
      return new Range(Math.min(start, size), Math.min(end, size));
    }
  }

  static int integer(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw AckException.arg("Integer expected: " + s);
    }
  }

  static int unsigned(String s) {
    int v = integer(s);
    if (v < 0) {
      throw AckException.arg("Number is negative: " + s);
    }
    return v;
  }

  static boolean bool(String s) {
    return switch (s) {
      case "0" -> false;
      case "1" -> true;
      default -> throw AckException.arg("Boolean (0/1) expected: " + s);
    };
  }

  /** A position {@code N} (the range N:N+1) or {@code START:END} / {@code START:}. */
  static Range range(String s) {
    int colon = s.indexOf(':');
    if (colon < 0) {
      int p = unsigned(s);
      return new Range(p, p + 1);
    }
    int start = unsigned(s.substring(0, colon));
    String e = s.substring(colon + 1);
    int end = e.isEmpty() ? Integer.MAX_VALUE : unsigned(e);
    if (end < start) {
      throw AckException.arg("Bad range: " + s);
    }
    return new Range(start, end);
  }

  /** Seconds with an optional fraction, to milliseconds. */
  static long millis(String s) {
    try {
      double v = Double.parseDouble(s);
      if (!Double.isFinite(v) || Math.abs(v) > 1e9) {
        throw AckException.arg("Number out of range: " + s);
      }
      return Math.round(v * 1000);
    } catch (NumberFormatException e) {
      throw AckException.arg("Float expected: " + s);
    }
  }
}
