package io.tonearm.daemon.errors;

/**
 * Reads an integer request parameter (a URL query value over HTTP, a {@code params} entry on the
 * socket) against its stated range: the one parser both edges use, so a value is accepted or
 * refused the same way whichever way it came. Stateless; any thread.
 */
public final class IntParameter {

  private IntParameter() {}

  /**
   * @param name the parameter's name, for the error
   * @param value the text sent, or null when the parameter is absent
   * @param fallback the value when absent
   * @param min the smallest value accepted
   * @param max the largest value accepted
   * @return the value, or {@code fallback} when absent
   * @throws DomainException {@code bad_request} for text that is not a decimal int, {@code
   *     out_of_range} (naming the range) for one outside {@code min..max}
   */
  public static int parse(String name, String value, int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
      throw DomainException.badRequest(name + " must be an integer, got '" + shown + "'");
    }
    if (n < min || n > max) {
      throw DomainException.outOfRange(name, n, min + " to " + max);
    }
    return n;
  }
}
