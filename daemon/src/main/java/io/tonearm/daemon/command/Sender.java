package io.tonearm.daemon.command;

import io.tonearm.proto.v1.CommandSource;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks who a client says it is: its name ({@code ?client=} on the socket, {@code
 * X-Tonearm-Client} over HTTP) and the source it acts for ({@code ?source=}, {@code
 * X-Tonearm-Source}).
 */
public final class Sender {

  /** Longest client name, in characters. */
  public static final int MAX_NAME = 64;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._ -]{1," + MAX_NAME + "}");

  private Sender() {}

  /**
   * The client name, or "" when {@code raw} is null or empty.
   *
   * @throws IllegalArgumentException when longer than {@link #MAX_NAME} or with other characters
   *     than letters, digits, dot, underscore, dash and space
   */
  public static String name(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "";
    }
    if (!NAME.matcher(raw).matches()) {
      throw new IllegalArgumentException(
          "client name must be 1 to "
              + MAX_NAME
              + " letters, digits, '.', '_', '-' or spaces, got '"
              + (raw.length() > MAX_NAME ? raw.substring(0, MAX_NAME) + "..." : raw)
              + "'");
    }
    return raw;
  }

  /**
   * The source named {@code user}, {@code automation} or {@code assistant}; unspecified when null
   * or empty.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static CommandSource source(String raw) {
    if (raw == null || raw.isEmpty()) {
      return CommandSource.COMMAND_SOURCE_UNSPECIFIED;
    }
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "user" -> CommandSource.COMMAND_SOURCE_USER;
      case "automation" -> CommandSource.COMMAND_SOURCE_AUTOMATION;
      case "assistant" -> CommandSource.COMMAND_SOURCE_ASSISTANT;
      default ->
          throw new IllegalArgumentException(
              "source must be user, automation or assistant, got '"
                  + (raw.length() > 20 ? raw.substring(0, 20) + "..." : raw)
                  + "'");
    };
  }
}
