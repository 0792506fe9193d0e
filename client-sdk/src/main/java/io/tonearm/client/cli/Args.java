package io.tonearm.client.cli;

import java.util.ArrayList;
import java.util.List;

/** The words after the command name, consumed front to back. Not thread-safe. */
final class Args {
  private final List<String> words;
  private int next;

  Args(List<String> words) {
    this.words = new ArrayList<>(words);
  }

  boolean hasNext() {
    return next < words.size();
  }

  String next(String what) {
    if (!hasNext()) {
      throw new UsageException("missing " + what);
    }
    return words.get(next++);
  }

  String optional() {
    return hasNext() ? words.get(next++) : null;
  }

  List<String> rest() {
    List<String> r = List.copyOf(words.subList(next, words.size()));
    next = words.size();
    return r;
  }

  /** Removes {@code --name value} anywhere after the current word; null when absent. */
  String flag(String name) {
    for (int i = next; i < words.size(); i++) {
      if (words.get(i).equals(name)) {
        if (i + 1 >= words.size()) {
          throw new UsageException(name + " needs a value");
        }
        String v = words.remove(i + 1);
        words.remove(i);
        return v;
      }
    }
    return null;
  }

  /** Removes a bare {@code --name}; true when it was there. */
  boolean option(String name) {
    return words.subList(next, words.size()).remove(name);
  }

  int intValue(String what, String s, int min, int max) {
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        throw new UsageException(what + " must be " + min + " to " + max + ", got " + s);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException(what + " must be a number, got '" + s + "'");
    }
  }

  void end() {
    if (hasNext()) {
      throw new UsageException("unexpected argument '" + words.get(next) + "'");
    }
  }
}
