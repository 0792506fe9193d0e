package io.tonearm.daemon.mpd;

import io.tonearm.proto.v1.LibraryTrack;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * MPD's song filters: the expression syntax ({@code (artist == 'x')}, {@code contains}, {@code
 * starts_with}, their {@code !} forms and {@code _cs}/{@code _ci} variants, {@code (!E)}, {@code
 * (E1 AND E2 ...)}, {@code base}, {@code modified-since}, {@code file}, tag {@code any}) and the
 * old {@code TYPE VALUE} pairs, and regular expressions ({@code =~}, {@code !~}) with a bounded
 * cost (see {@link BoundedRegex}). Immutable; a filter with a regular expression counts its cost,
 * so it is made per command.
 */
final class Filter implements Predicate<LibraryTrack> {

  /** Deepest nesting of parentheses accepted. */
  static final int MAX_DEPTH = 32;

  private final Predicate<LibraryTrack> test;

  private Filter(Predicate<LibraryTrack> test) {
    this.test = test;
  }

  static final Filter ALL = new Filter(t -> true);

  @Override
  public boolean test(LibraryTrack t) {
    return test.test(t);
  }

  /**
   * Parses a filter from command arguments: one expression in parentheses, or {@code TYPE VALUE}
   * pairs; {@code foldCase} is true for {@code search} and friends.
   */
  static Filter parse(List<String> args, boolean foldCase) {
    if (args.isEmpty()) {
      throw AckException.arg("Filter expected");
    }
    if (args.get(0).startsWith("(")) {
      if (args.size() != 1) {
        // MPD allows several expressions: all must match.
        List<Predicate<LibraryTrack>> all = new ArrayList<>();
        for (String a : args) {
          all.add(new Parser(a, foldCase).whole());
        }
        return new Filter(t -> all.stream().allMatch(p -> p.test(t)));
      }
      return new Filter(new Parser(args.get(0), foldCase).whole());
    }
    if (args.size() % 2 != 0) {
      throw AckException.arg("Incorrect number of filter arguments");
    }
    List<Predicate<LibraryTrack>> all = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 2) {
      String type = args.get(i).toLowerCase(Locale.ROOT);
      String value = args.get(i + 1);
      switch (type) {
        case "base" -> all.add(base(value));
        case "modified-since" -> all.add(modifiedSince(value));
        // MPD 0.20's pairs: search (folding case) matches anywhere in the value, find the whole.
        default ->
            all.add(compare(tagOf(type), foldCase ? "contains" : "==", value, foldCase, false));
      }
    }
    return new Filter(t -> all.stream().allMatch(p -> p.test(t)));
  }

  private static String tagOf(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("any") || n.equals("file") || Songs.known(n)) {
      return n;
    }
    if (n.equals("filename")) {
      return "file"; // MPD's older name for it
    }
    throw AckException.arg("Unknown filter type: " + name);
  }

  private static Predicate<LibraryTrack> base(String dir) {
    String d = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    if (d.isEmpty()) {
      return t -> true;
    }
    return t -> t.getPath().startsWith(d + "/");
  }

  private static Predicate<LibraryTrack> modifiedSince(String v) {
    long ms;
    try {
      ms = Long.parseLong(v) * 1000;
    } catch (NumberFormatException e) {
      try {
        ms = Instant.parse(v).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw AckException.arg("Invalid date: " + v);
      }
    }
    long since = ms;
    return t -> t.getModifiedMs() >= since;
  }

  private static Predicate<LibraryTrack> compare(
      String tag, String op, String value, boolean foldCase, boolean negate) {
    String v = foldCase ? value.toLowerCase(Locale.ROOT) : value;
    BoundedRegex regex = op.equals("=~") ? new BoundedRegex(value, foldCase) : null;
    Predicate<String> one =
        switch (op) {
          case "=~" -> regex::find;
          case "==" -> s -> s.equals(v);
          case "contains" -> s -> s.contains(v);
          case "starts_with" -> s -> s.startsWith(v);
          default -> throw AckException.arg("Unknown filter operator: " + op);
        };
    Predicate<LibraryTrack> match;
    if (tag.equals("any")) {
      // Every tag's value, not the URI: MPD's "any" is a tag filter over all tag types.
      match =
          t -> {
            for (String tt : Songs.TAG_TYPES) {
              String s = Songs.value(t, tt);
              if (!s.isEmpty() && one.test(fold(s, foldCase))) {
                return true;
              }
            }
            return false;
          };
    } else {
      // A song without the tag (nor its fallback) matches only an empty value, whatever the
      // operator, as in MPD's TagSongFilter: "(genre == '')" finds the songs with no genre.
      match =
          t -> {
            String s = Songs.valueOrFallback(t, tag);
            return s.isEmpty() ? value.isEmpty() : one.test(fold(s, foldCase));
          };
    }
    return negate ? match.negate() : match;
  }

  private static String fold(String s, boolean foldCase) {
    return foldCase ? s.toLowerCase(Locale.ROOT) : s;
  }

  /** A recursive-descent parser over one expression string. */
  private static final class Parser {
    private final String s;
    private final boolean foldCase;
    private int i;
    private int depth;

    Parser(String s, boolean foldCase) {
      this.s = s;
      this.foldCase = foldCase;
    }

    Predicate<LibraryTrack> whole() {
      Predicate<LibraryTrack> p = expression();
      skipSpace();
      if (i != s.length()) {
        throw AckException.arg("Unparsed garbage after expression");
      }
      return p;
    }

    private Predicate<LibraryTrack> expression() {
      skipSpace();
      expect('(');
      if (++depth > MAX_DEPTH) {
        throw AckException.arg("Filter nested too deeply");
      }
      skipSpace();
      Predicate<LibraryTrack> result;
      if (peek() == '(') {
        List<Predicate<LibraryTrack>> all = new ArrayList<>();
        all.add(expression());
        while (true) {
          skipSpace();
          if (peek() == ')') {
            break;
          }
          if (!s.startsWith("AND", i)) {
            throw AckException.arg("'AND' expected");
          }
          i += 3;
          all.add(expression());
        }
        result = t -> all.stream().allMatch(p -> p.test(t));
      } else if (peek() == '!') {
        i++;
        Predicate<LibraryTrack> inner = expression();
        result = inner.negate();
      } else {
        String name = word();
        skipSpace();
        switch (name.toLowerCase(Locale.ROOT)) {
          case "base" -> result = base(value());
          case "modified-since" -> result = modifiedSince(value());
          case "added-since" -> throw AckException.arg("added-since is not supported");
          case "audioformat" -> throw AckException.arg("AudioFormat filters are not supported");
          case "prio" -> throw AckException.arg("prio filters are not supported");
          default -> result = tagCompare(tagOf(name));
        }
      }
      skipSpace();
      expect(')');
      depth--;
      return result;
    }

    private Predicate<LibraryTrack> tagCompare(String tag) {
      boolean negate = false;
      String op;
      if (s.startsWith("==", i)) {
        op = "==";
        i += 2;
      } else if (s.startsWith("!=", i)) {
        op = "==";
        negate = true;
        i += 2;
      } else if (s.startsWith("=~", i) || s.startsWith("!~", i)) {
        op = "=~";
        negate = s.charAt(i) == '!';
        i += 2;
        skipSpace();
        return compare(tag, op, value(), foldCase, negate);
      } else {
        if (peek() == '!') {
          negate = true;
          i++;
        }
        op = word();
      }
      boolean fold = foldCase;
      if (op.endsWith("_cs")) {
        fold = false;
        op = op.substring(0, op.length() - 3);
      } else if (op.endsWith("_ci")) {
        fold = true;
        op = op.substring(0, op.length() - 3);
      }
      if (op.equals("eq")) {
        op = "==";
      }
      skipSpace();
      return compare(tag, op, value(), fold, negate);
    }

    private String word() {
      int start = i;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
          i++;
        } else {
          break;
        }
      }
      if (start == i) {
        throw AckException.arg("Word expected");
      }
      return s.substring(start, i);
    }

    private String value() {
      skipSpace();
      char q = peek();
      if (q != '\'' && q != '"') {
        throw AckException.arg("Quoted string expected");
      }
      i++;
      StringBuilder out = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw AckException.arg("Closing quote not found");
        }
        char c = s.charAt(i++);
        if (c == q) {
          return out.toString();
        }
        if (c == '\\') {
          if (i >= s.length()) {
            throw AckException.arg("Closing quote not found");
          }
          c = s.charAt(i++);
        }
        out.append(c);
      }
    }

    private void expect(char c) {
      if (peek() != c) {
        throw AckException.arg("'" + c + "' expected");
      }
      i++;
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    private void skipSpace() {
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
    }
  }
}
