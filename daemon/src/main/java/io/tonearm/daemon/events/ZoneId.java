package io.tonearm.daemon.events;

import java.util.regex.Pattern;

/**
 * Zone ids as the event lanes tag them ({@code Envelope.zone}): "default" for the player there
 * always is, others made over the API; "" tags the shared topics.
 */
public final class ZoneId {

  /** The zone that is always there: the daemon's first player. */
  public static final String DEFAULT = "default";

  /** Longest zone id, in characters. */
  public static final int MAX_LENGTH = 32;

  private static final Pattern ID =
      Pattern.compile("[a-z0-9][a-z0-9_-]{0," + (MAX_LENGTH - 1) + "}");

  private ZoneId() {}

  /** True when {@code id} is a well-formed zone id (it may still name no zone). */
  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
