package io.tonearm.daemon.library;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses LRC lyrics: lines {@code [mm:ss.xx]text} (one or more stamps in front; centiseconds or
 * milliseconds), ID tags such as {@code [ar:...]} (ignored) and {@code [offset:+/-ms]} (a positive
 * offset makes every line earlier, as the format defines), and enhanced LRC's word stamps {@code
 * <mm:ss.xx>word}. A line that is neither is reported by number and skipped; the rest is kept.
 * Stateless; any thread.
 */
final class LrcParser {

  private static final Pattern STAMP =
      Pattern.compile("\\[(\\d{1,3}):(\\d{1,2})(?:[.:](\\d{1,3}))?]");
  private static final Pattern WORD = Pattern.compile("<(\\d{1,3}):(\\d{1,2})(?:[.:](\\d{1,3}))?>");
  private static final Pattern ID_TAG = Pattern.compile("\\[([a-zA-Z#]+):(.*)]");

  private LrcParser() {}

  /** True when {@code text} holds at least one LRC time stamp at a line's start. */
  static boolean looksTimed(String text) {
    for (String line : text.split("\r?\n|\r", 200)) {
      if (STAMP.matcher(line.strip()).lookingAt()) {
        return true;
      }
    }
    return false;
  }

  static TimedLyrics parse(String text, String source) {
    List<TimedLyrics.Line> lines = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long offset = 0;
    String[] raw = text.split("\r?\n|\r");
    for (int n = 0; n < raw.length; n++) {
      String line = raw[n].strip();
      if (n == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isEmpty()) {
        continue;
      }
      Matcher stamp = STAMP.matcher(line);
      List<Long> starts = new ArrayList<>();
      int at = 0;
      while (stamp.find(at) && stamp.start() == at) {
        starts.add(millis(stamp.group(1), stamp.group(2), stamp.group(3)));
        at = stamp.end();
      }
      if (starts.isEmpty()) {
        Matcher id = ID_TAG.matcher(line);
        if (id.matches()) {
          if (id.group(1).equalsIgnoreCase("offset")) {
            try {
              offset = Long.parseLong(id.group(2).strip().replace("+", ""));
            } catch (NumberFormatException e) {
              problem(problems, n, "offset is not a number of milliseconds");
            }
          }
          continue;
        }
        problem(problems, n, "no [mm:ss.xx] time stamp");
        continue;
      }
      String body = line.substring(at);
      List<TimedLyrics.Word> words = words(body);
      String plain = WORD.matcher(body).replaceAll("").strip().replaceAll("\\s+", " ");
      for (long s : starts) {
        if (lines.size() >= TimedLyrics.MAX_LINES) {
          problem(problems, n, "more than " + TimedLyrics.MAX_LINES + " lines; the rest dropped");
          break;
        }
        lines.add(new TimedLyrics.Line(s, plain, words));
      }
    }
    long shift = -offset;
    List<TimedLyrics.Line> out = new ArrayList<>(lines.size());
    for (TimedLyrics.Line l : lines) {
      List<TimedLyrics.Word> ws = new ArrayList<>();
      for (TimedLyrics.Word w : l.words()) {
        ws.add(new TimedLyrics.Word(Math.max(0, w.startMs() + shift), w.text()));
      }
      out.add(new TimedLyrics.Line(Math.max(0, l.startMs() + shift), l.text(), ws));
    }
    out.sort(Comparator.comparingLong(TimedLyrics.Line::startMs)); // stable: same-time order kept
    return new TimedLyrics(source, true, out, problems);
  }

  private static List<TimedLyrics.Word> words(String body) {
    List<TimedLyrics.Word> words = new ArrayList<>();
    Matcher m = WORD.matcher(body);
    int textFrom = -1;
    long start = 0;
    while (m.find()) {
      if (textFrom >= 0) {
        add(words, start, body.substring(textFrom, m.start()));
      }
      start = millis(m.group(1), m.group(2), m.group(3));
      textFrom = m.end();
    }
    if (textFrom >= 0) {
      add(words, start, body.substring(textFrom));
    }
    return words;
  }

  private static void add(List<TimedLyrics.Word> words, long start, String text) {
    String t = text.strip();
    if (!t.isEmpty() && words.size() < TimedLyrics.MAX_WORDS) {
      words.add(new TimedLyrics.Word(start, t));
    }
  }

  private static long millis(String min, String sec, String frac) {
    long ms = Long.parseLong(min) * 60_000 + Long.parseLong(sec) * 1000;
    if (frac != null) {
      int f = Integer.parseInt(frac);
      ms += frac.length() == 1 ? f * 100 : frac.length() == 2 ? f * 10 : f;
    }
    return ms;
  }

  private static void problem(List<String> problems, int index, String why) {
    if (problems.size() < TimedLyrics.MAX_PROBLEMS) {
      problems.add("line " + (index + 1) + ": " + why);
    }
  }
}
