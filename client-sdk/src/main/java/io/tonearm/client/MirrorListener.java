package io.tonearm.client;

import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.OutputsState;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueItem;
import java.util.List;

/**
 * Hears each change a {@link PlayerMirror} applies, after the mirror holds it (so {@code
 * mirror.player()} inside {@link #onPlayer} already returns {@code state}). Override what you need.
 *
 * <p><b>Threading:</b> called on the client's event loop thread that owns the mirror's stream, one
 * call at a time, in the daemon's order; must not block. An exception thrown here is logged and the
 * mirror goes on.
 */
public abstract class MirrorListener {

  /** The player's state changed (or was reset from a snapshot). */
  public void onPlayer(PlayerMirror mirror, PlayerState state) {}

  /** The queue changed; {@code items} is the whole queue after the change. */
  public void onQueue(PlayerMirror mirror, List<QueueItem> items) {}

  /** The outputs or ReplayGain settings changed. */
  public void onOutputs(PlayerMirror mirror, OutputsState state) {}

  /** A job was created, progressed or ended; {@code jobs} are all known jobs, oldest first. */
  public void onJobs(PlayerMirror mirror, List<Job> jobs) {}

  /**
   * The mirror was rebuilt from fresh snapshots (first connection, daemon restart, or too much
   * missed to replay). The per-topic calls for the snapshots come before this one. Normally on the
   * event loop; if the daemon does not answer the mirror's ping within the connect timeout, on a
   * timer thread.
   */
  public void onReset(PlayerMirror mirror) {}

  /** The connection dropped; the mirror keeps its last state and catches up on reconnect. */
  public void onDisconnected(PlayerMirror mirror, int closeCode, String reason) {}
}
