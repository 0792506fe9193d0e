package io.tonearm.daemon.lyrics;

import io.tonearm.daemon.library.TimedLyrics;
import java.util.List;

/**
 * Which line and word of timed lyrics a position falls in, and when their start is heard. Pure
 * arithmetic on the position model: a position {@code p} (us of the item) heard at {@code at} (us,
 * server clock) places any item time {@code t} at {@code at + (t - p)}; a line starting at {@code
 * s} is heard from {@code s + offset}. Not thread-safe: the lyrics thread owns it.
 */
final class CueTracker {

  private List<TimedLyrics.Line> lines = List.of();
  private int line = -1;
  private int word = -1;
  private long presentationUs;

  /** New lyrics (or none): the cue goes back to before the first line. */
  void load(TimedLyrics lyrics) {
    lines = lyrics.timed() ? lyrics.lines() : List.of();
    line = -1;
    word = -1;
  }

  int line() {
    return line;
  }

  int word() {
    return word;
  }

  /** When the current line's (or word's) start is heard, us of the server clock. */
  long presentationUs() {
    return presentationUs;
  }

  /**
   * Moves to the line and word heard at {@code positionUs}; true when either changed.
   *
   * @param positionUs position in the item, us
   * @param atMicros server time at which that position is heard
   * @param offsetUs the track's lyrics offset, us (positive: lyrics later)
   */
  boolean advance(long positionUs, long atMicros, long offsetUs) {
    long t = positionUs - offsetUs;
    int l = lastStartingBy(t);
    int w = -1;
    if (l >= 0) {
      List<TimedLyrics.Word> ws = lines.get(l).words();
      for (int i = 0; i < ws.size() && ws.get(i).startMs() * 1000 <= t; i++) {
        w = i;
      }
    }
    if (l == line && w == word) {
      return false;
    }
    line = l;
    word = w;
    if (l >= 0) {
      long startUs =
          (w >= 0 ? lines.get(l).words().get(w).startMs() : lines.get(l).startMs()) * 1000;
      presentationUs = atMicros - (t - startUs);
    } else {
      presentationUs = atMicros;
    }
    return true;
  }

  /**
   * The first line or word start after {@code t} (us of lyrics time, the position less the offset),
   * us; {@link Long#MAX_VALUE} when none is left. Where the next cue can first change.
   */
  long nextStartAfter(long t) {
    int l = lastStartingBy(t);
    long next = l + 1 < lines.size() ? lines.get(l + 1).startMs() * 1000 : Long.MAX_VALUE;
    if (l >= 0) {
      for (TimedLyrics.Word w : lines.get(l).words()) {
        long s = w.startMs() * 1000;
        if (s > t) {
          return Math.min(next, s);
        }
      }
    }
    return next;
  }

  /** Index of the last line starting at or before {@code t} us, or -1. */
  private int lastStartingBy(long t) {
    int lo = 0;
    int hi = lines.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (lines.get(mid).startMs() * 1000 <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
