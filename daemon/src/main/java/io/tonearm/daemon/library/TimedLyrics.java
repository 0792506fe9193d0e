package io.tonearm.daemon.library;

import java.util.List;

/**
 * A track's lyrics: lines with their start times (and words with theirs, for enhanced LRC and
 * word-timed SYLT), or untimed lines (plain lyrics, all at -1), and the problems met reading them
 * (a malformed LRC line is reported by number and skipped; the rest is kept). Immutable.
 *
 * @param source where they came from: "sidecar" (an {@code .lrc} file beside the track), "tag" (the
 *     lyrics tag holding LRC or plain text) or "sylt" (an ID3v2 SYLT frame); "" for none
 * @param timed true when the lines carry start times
 * @param lines in time order (LRC lines with several stamps appear once per stamp)
 * @param problems one message per line skipped, at most {@value #MAX_PROBLEMS}
 */
public record TimedLyrics(String source, boolean timed, List<Line> lines, List<String> problems) {

  /** Lines kept, at most. */
  public static final int MAX_LINES = 5000;

  /** Words kept per line, at most. */
  public static final int MAX_WORDS = 200;

  /** Problems kept, at most. */
  public static final int MAX_PROBLEMS = 50;

  /** No lyrics. */
  public static final TimedLyrics NONE = new TimedLyrics("", false, List.of(), List.of());

  public TimedLyrics {
    lines = List.copyOf(lines);
    problems = List.copyOf(problems);
  }

  /** One line: its start in ms of the track (-1 when untimed), its text and its timed words. */
  public record Line(long startMs, String text, List<Word> words) {
    public Line {
      words = List.copyOf(words);
    }
  }

  /** One word of an enhanced LRC line: its start in ms of the track and its text. */
  public record Word(long startMs, String text) {}
}
