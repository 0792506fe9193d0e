package io.tonearm.daemon.api;

/**
 * {@code If-None-Match} as RFC 9110 section 13.1.2 reads it: a list of entity tags compared weakly
 * ({@code W/"x"} matches {@code "x"}), or {@code *} for any current representation. Caches and
 * browsers send lists and weak tags (a proxy that compressed a reply weakens its tag), so an exact
 * string comparison would answer them 200 with the whole body where 304 is due.
 */
public final class EntityTags {
  private EntityTags() {}

  /**
   * True when {@code ifNoneMatch} (the header's value, null when absent) names {@code etag} (a
   * strong tag, quotes included): a GET or HEAD is then answered 304 Not Modified.
   */
  public static boolean noneMatchFails(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    String opaque = strip(etag);
    int i = 0;
    int n = ifNoneMatch.length();
    while (i < n) {
      char c = ifNoneMatch.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
      } else if (c == '*') {
        return true;
      } else {
        int start = i;
        if (ifNoneMatch.startsWith("W/", i)) {
          i += 2;
        }
        if (i >= n || ifNoneMatch.charAt(i) != '"') {
          return false; // not a list of entity tags: ignore the header (section 13.1.2)
        }
        int close = ifNoneMatch.indexOf('"', i + 1);
        if (close < 0) {
          return false;
        }
        if (strip(ifNoneMatch.substring(start, close + 1)).equals(opaque)) {
          return true;
        }
        i = close + 1;
      }
    }
    return false;
  }

  /**
   * The opaque tag without the weakness indicator: {@code W/"x"} and {@code "x"} give {@code "x"}.
   */
  private static String strip(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }
}
