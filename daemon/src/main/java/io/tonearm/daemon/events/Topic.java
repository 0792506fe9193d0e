package io.tonearm.daemon.events;

import java.util.Locale;
import java.util.Optional;

/**
 * Every topic a client can subscribe to, and the lane it travels on. State topics carry sequenced,
 * never-dropped events; frame topics carry latest-wins frames.
 */
public enum Topic {
  PLAYER(Lane.STATE),
  QUEUE(Lane.STATE),
  OUTPUTS(Lane.STATE),
  COMMANDS(Lane.STATE),
  LIBRARY(Lane.STATE),
  PLAYLISTS(Lane.STATE),
  JOBS(Lane.STATE),
  SETTINGS(Lane.STATE),
  MIXER(Lane.STATE),
  LYRICS(Lane.STATE),
  ZONES(Lane.STATE),
  TRANSPORT(Lane.FRAME),
  SPECTRUM(Lane.FRAME),
  WAVEFORM(Lane.FRAME),
  METERS(Lane.FRAME),
  ONSETS(Lane.FRAME),
  STEM_METERS(Lane.FRAME);

  /** The two lanes of the event stream. */
  public enum Lane {
    /** Sequenced, kept in history, never dropped. */
    STATE,
    /** Not sequenced, not kept; newest frame wins per client and stream. */
    FRAME
  }

  private final Lane lane;
  private final String wireName;

  Topic(Lane lane) {
    this.lane = lane;
    this.wireName = name().toLowerCase(Locale.ROOT);
  }

  public Lane lane() {
    return lane;
  }

  /**
   * True for the topics of one zone's player (player, queue, outputs, settings, mixer, lyrics and
   * the frame topics): published without a zone, their events are the "default" zone's. The others
   * are shared, or (commands, zones) name their zone per event.
   */
  public boolean zoned() {
    return switch (this) {
      case PLAYER, QUEUE, OUTPUTS, SETTINGS, MIXER, LYRICS -> true;
      default -> lane == Lane.FRAME;
    };
  }

  /** The name used on the wire and in URLs, e.g. {@code "player"}. */
  public String wireName() {
    return wireName;
  }

  /** Looks a topic up by its wire name. */
  public static Optional<Topic> byWireName(String name) {
    for (Topic t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
