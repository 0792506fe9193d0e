package io.tonearm.daemon.mpd;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The regular expression of one {@code =~} or {@code !~} filter (Java's {@code java.util.regex},
 * close to the PCRE MPD uses: found anywhere in the value, case-insensitive for {@code search}),
 * with its cost bounded so that a pattern that backtracks catastrophically ({@code (a+)+b}) cannot
 * hold a thread: every character the matcher reads is counted, at most {@value
 * #MAX_STEPS_PER_VALUE} for one value and {@value #MAX_STEPS} for the whole command; past either,
 * the command fails with {@code ACK [2@0]}. Patterns are at most {@value #MAX_LENGTH} characters.
 * Thread-safe; one instance per parsed filter (so per command).
 */
final class BoundedRegex {

  /** Longest pattern accepted, in characters. */
  static final int MAX_LENGTH = 1024;

  /** Character reads allowed for matching one value (covers n^2 backtracking of 300 chars). */
  static final long MAX_STEPS_PER_VALUE = 100_000;

  /** Character reads allowed for one filter over a whole command. */
  static final long MAX_STEPS = 200_000_000;

  private final Pattern pattern;
  private final AtomicLong steps = new AtomicLong();

  BoundedRegex(String regex, boolean foldCase) {
    if (regex.length() > MAX_LENGTH) {
      throw AckException.arg("Regular expression longer than " + MAX_LENGTH + " characters");
    }
    try {
      pattern =
          Pattern.compile(regex, foldCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    } catch (PatternSyntaxException e) {
      throw AckException.arg("Invalid regular expression: " + e.getDescription());
    }
  }

  /** True when the pattern is found in {@code value}; throws past a step bound. */
  boolean find(String value) {
    Counted text = new Counted(value);
    try {
      return pattern.matcher(text).find();
    } finally {
      if (steps.addAndGet(text.reads) > MAX_STEPS) {
        throw AckException.arg(
            "Regular expression too costly: over " + MAX_STEPS + " steps in one command");
      }
    }
  }

  /** A string whose reads are counted; the matcher's only view of the value. */
  private static final class Counted implements CharSequence {
    private final String s;
    long reads;

    Counted(String s) {
      this.s = s;
    }

    @Override
    public char charAt(int index) {
      if (++reads > MAX_STEPS_PER_VALUE) {
        throw AckException.arg(
            "Regular expression too costly: over " + MAX_STEPS_PER_VALUE + " steps on one value");
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.substring(start, end);
    }

    @Override
    public String toString() {
      return s;
    }
  }
}
