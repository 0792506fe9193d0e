package io.tonearm.daemon.mpd;

import java.util.ArrayList;
import java.util.List;

/**
 * One request line split as MPD's tokenizer does: a command word (an ASCII letter, then letters,
 * digits or {@code _}), then arguments, each either unquoted (bytes above space except quotes) or
 * in double quotes with backslash escapes.
 *
 * @param name the command word
 * @param args the arguments, unquoted
 */
public record CommandLine(String name, List<String> args) {

  /** Most arguments one command takes (MPD: 2 + 2 per tag type). */
  public static final int MAX_ARGS = 256;

  /** A line MPD's tokenizer rejects; {@code badWord} means the connection is closed after it. */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean badWord;

    SyntaxException(String message, boolean badWord) {
      super(message, null, false, false);
      this.badWord = badWord;
    }

    /** True when even the command word is malformed: not an MPD client, kick it. */
    public boolean badWord() {
      return badWord;
    }
  }

  /**
   * Splits a line (without its newline; trailing white space is ignored).
   *
   * @throws SyntaxException with MPD's messages: "No command given", "Letter expected", "Invalid
   *     word character" (bad word), "Missing closing '\"'", "Invalid unquoted character", "Space
   *     expected after closing '\"'", "Too many arguments"
   */
  public static CommandLine parse(String line) throws SyntaxException {
    int n = line.length();
    while (n > 0 && line.charAt(n - 1) <= ' ') {
      n--;
    }
    if (n == 0) {
      throw new SyntaxException("No command given", true);
    }
    int i = 0;
    if (!isLetter(line.charAt(0))) {
      throw new SyntaxException("Letter expected", true);
    }
    while (i < n && line.charAt(i) > ' ') {
      char ch = line.charAt(i);
      if (!(isLetter(ch) || (ch >= '0' && ch <= '9') || ch == '_')) {
        throw new SyntaxException("Invalid word character", true);
      }
      i++;
    }
    String name = line.substring(0, i);
    List<String> args = new ArrayList<>();
    while (true) {
      while (i < n && line.charAt(i) <= ' ') {
        i++;
      }
      if (i >= n) {
        break;
      }
      if (args.size() >= MAX_ARGS) {
        throw new SyntaxException("Too many arguments", false);
      }
      StringBuilder arg = new StringBuilder();
      if (line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new SyntaxException("Missing closing '\"'", false);
          }
          char ch = line.charAt(i);
          if (ch == '"') {
            break;
          }
          if (ch == '\\') {
            i++;
            if (i >= n) {
              throw new SyntaxException("Missing closing '\"'", false);
            }
            ch = line.charAt(i);
          }
          arg.append(ch);
          i++;
        }
        i++;
        if (i < n && line.charAt(i) > ' ') {
          throw new SyntaxException("Space expected after closing '\"'", false);
        }
      } else {
        while (i < n && line.charAt(i) > ' ') {
          char ch = line.charAt(i);
          if (ch == '"' || ch == '\'') {
            throw new SyntaxException("Invalid unquoted character", false);
          }
          arg.append(ch);
          i++;
        }
      }
      args.add(arg.toString());
    }
    return new CommandLine(name, List.copyOf(args));
  }

  private static boolean isLetter(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
  }
}
