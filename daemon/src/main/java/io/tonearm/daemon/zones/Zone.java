package io.tonearm.daemon.zones;

import io.tonearm.daemon.analysis.AnalysisTap;
import io.tonearm.daemon.output.HttpStreamOutput;
import io.tonearm.daemon.player.Player;
import io.tonearm.proto.v1.ZoneInfo;

/**
 * One zone: a player with its own queue, playback state, outputs and ReplayGain, the analysis of
 * what it plays, and its HTTP audio stream. Made by the daemon's wiring ({@link Zones.Opener}),
 * started and closed by {@link Zones} (the default zone's parts are closed by the daemon).
 *
 * @param info its id and name
 * @param player its player (not started until {@link Zones} starts it)
 * @param analysis the tap its player's outputs feed (meters, spectra)
 * @param stream its {@code /stream} output
 */
public record Zone(ZoneInfo info, Player player, AnalysisTap analysis, HttpStreamOutput stream) {

  public String id() {
    return info.getId();
  }

  /** Saves and stops the player, ends the stream's listeners. Blocks up to a few seconds. */
  void close() {
    player.close();
    stream.shutdown();
  }
}
