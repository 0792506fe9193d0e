package io.tonearm.daemon.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do. Every command of the table declares one; no scope implies another (a token
 * made with only {@code control} cannot read the player's state).
 */
public enum Scope {
  /** Queries and the event socket: subscribe, read state, browse the library. */
  READ,
  /** Player, queue and output commands. */
  CONTROL,
  /** Library folders, scans, analysis, playlists and jobs. */
  LIBRARY,
  /** Tokens, settings (and zones, once they exist). */
  ADMIN;

  /** The name on the wire and in flags: {@code read}, {@code control}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope of this wire name, if any. */
  public static Optional<Scope> byWireName(String name) {
    for (Scope s : values()) {
      if (s.wireName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
