package io.tonearm.daemon.player;

/**
 * Reads MixRamp tags ({@code MIXRAMP_START}, {@code MIXRAMP_END}): pairs of a level in dB and a
 * time in seconds, the pair's parts separated by a space and the pairs by ';', by rising level. The
 * start tag says how long from its start an item stays below each level; the end tag, how long
 * before its end. As MPD reads them, the time of a level is that of the first pair at or above it;
 * a tag that is empty, malformed before such a pair, or has none answers -1. Stateless.
 */
final class MixRamp {

  private MixRamp() {}

  /** Seconds the tagged item stays below {@code levelDb}, or -1 when the tag does not say. */
  static double seconds(String tag, double levelDb) {
    if (tag == null || tag.isEmpty()) {
      return -1;
    }
    for (String pair : tag.split(";", -1)) {
      if (pair.isEmpty()) {
        break; // MPD stops at the first gap, a trailing ';' included
      }
      int space = pair.indexOf(' ');
      if (space <= 0) {
        return -1;
      }
      double db;
      double at;
      try {
        db = Double.parseDouble(pair.substring(0, space));
        at = Double.parseDouble(pair.substring(space + 1));
      } catch (NumberFormatException e) {
        return -1;
      }
      if (db >= levelDb) {
        return at;
      }
    }
    return -1;
  }
}
