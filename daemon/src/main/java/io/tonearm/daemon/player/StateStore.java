package io.tonearm.daemon.player;

import io.tonearm.daemon.dsp.ReplayGainMode;
import io.tonearm.daemon.dsp.ReplayGainSettings;
import io.tonearm.daemon.library.TrackCatalog;
import io.tonearm.proto.v1.RepeatMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the player's state to its {@link StateFile} and puts it back at start. Saved entries are
 * resolved again against the music folders; one that no longer resolves is dropped (and logged).
 * Player thread only.
 */
final class StateStore {

  private static final Logger log = LoggerFactory.getLogger(StateStore.class);

  private final StateFile stateFile;
  private final PlayQueue queue;
  private final Playback playback;
  private final MusicFolders folders;
  private final TrackCatalog catalog;
  private final OutputCommands outputs;

  StateStore(
      StateFile stateFile,
      PlayQueue queue,
      Playback playback,
      MusicFolders folders,
      TrackCatalog catalog,
      OutputCommands outputs) {
    this.stateFile = stateFile;
    this.queue = queue;
    this.playback = playback;
    this.folders = folders;
    this.catalog = catalog;
    this.outputs = outputs;
  }

  /** Writes the state now, on the calling (player) thread; a failure is logged. */
  void save(long idCeiling) {
    write(snapshot(idCeiling));
  }

  /**
   * Writes a snapshot; any thread. A failure is logged (the previous file stays whole).
   *
   * @return whether it was written
   */
  boolean write(StateFile.Saved saved) {
    try {
      stateFile.save(saved);
      return true;
    } catch (IOException e) {
      log.error("could not save player state to {}", stateFile.path(), e);
      return false;
    }
  }

  /** The state to save, taken on the player thread (cheap: no I/O). */
  StateFile.Saved snapshot(long idCeiling) {
    return snapshot(idCeiling, true);
  }

  /** The state, with the queue's entries and order only when {@code withQueue}. */
  StateFile.Saved snapshot(long idCeiling, boolean withQueue) {
    List<StateFile.SavedItem> items = new ArrayList<>();
    for (QueueEntry e : withQueue ? queue.items() : List.<QueueEntry>of()) {
      items.add(new StateFile.SavedItem(e.id, e.file.toString()));
    }
    List<Long> order = new ArrayList<>();
    if (withQueue && queue.isShuffled()) {
      for (QueueEntry e : queue.order()) {
        order.add(e.id);
      }
    }
    QueueEntry cur = playback.current;
    boolean active = playback.isActive();
    return new StateFile.Saved(
        idCeiling,
        items,
        order,
        queue.isShuffled(),
        cur == null ? -1 : cur.id,
        active ? playback.positionMs() : 0,
        playback.volume,
        playback.muted,
        playback.repeat.getNumber(),
        playback.single && !playback.singleOneshot, // a oneshot mode is not kept across a restart
        playback.consume && !playback.consumeOneshot,
        playback.replayGain.mode().ordinal(),
        playback.replayGain.preampDb(),
        playback.replayGain.preventClipping(),
        outputs.disabledIds());
  }

  /** Puts a saved state back: queue, modes, and the current item paused at its position. */
  void apply(StateFile.Saved s) {
    List<QueueEntry> entries = new ArrayList<>();
    for (StateFile.SavedItem i : s.items()) {
      try {
        MusicFolders.Resolved r = folders.resolve(i.path());
        entries.add(new QueueEntry(i.id(), r.file(), r.relative(), null));
      } catch (RuntimeException e) {
        log.warn("dropping saved queue item {} ({}): {}", i.id(), i.path(), e.getMessage());
      }
    }
    List<Path> files = new ArrayList<>(entries.size());
    for (QueueEntry e : entries) {
      files.add(e.file);
    }
    Map<Path, TrackCatalog.CatalogTrack> tracks = catalog.byFiles(files);
    for (QueueEntry e : entries) {
      e.track = tracks.get(e.file.normalize());
    }
    queue.insert(0, entries, null);
    if (s.shuffle()) {
      List<QueueEntry> order = new ArrayList<>();
      for (long id : s.shuffleOrder()) {
        queue.byId(id).ifPresent(order::add);
      }
      queue.restoreShuffle(order);
    }
    playback.volume = Math.max(0, Math.min(100, s.volume()));
    playback.muted = s.muted();
    RepeatMode repeat = RepeatMode.forNumber(s.repeat());
    playback.repeat = repeat == null ? RepeatMode.REPEAT_MODE_NONE : repeat;
    playback.single = s.single();
    playback.consume = s.consume();
    ReplayGainMode[] modes = ReplayGainMode.values();
    int m = s.replayGainMode();
    try {
      playback.replayGain =
          new ReplayGainSettings(
              m >= 0 && m < modes.length ? modes[m] : ReplayGainMode.OFF,
              s.replayGainPreampDb(),
              s.preventClipping(),
              0);
    } catch (IllegalArgumentException e) {
      playback.replayGain = ReplayGainSettings.DEFAULT;
    }
    queue.byId(s.currentId()).ifPresent(e -> playback.restore(e, s.positionMs()));
  }
}
