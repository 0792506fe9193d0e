package io.tonearm.daemon.mpd;

import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.LibraryChanged;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueChanged;
import io.tonearm.proto.v1.QueueItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns Tonearm's state events into MPD's idle subsystems and keeps what MPD's protocol needs that
 * Tonearm does not: the queue's version ({@code playlist:} in status, {@code plchanges}), the
 * version at which each queue item last moved, the running update job and the play time.
 *
 * <p>{@link #published} is called by the hub with its lock held, in seq order; it does a small
 * amount of bookkeeping (linear in the queue's length for a queue change) and tells subscribers,
 * who must only schedule work. Reads are synchronized on this object.
 */
public final class IdleBus implements EventHub.Listener {

  /** MPD's subsystems, as bits. */
  public enum Subsystem {
    DATABASE,
    UPDATE,
    STORED_PLAYLIST,
    PLAYLIST,
    PLAYER,
    MIXER,
    OUTPUT,
    OPTIONS,
    PARTITION,
    STICKER,
    SUBSCRIPTION,
    MESSAGE,
    NEIGHBOR,
    MOUNT;

    public int bit() {
      return 1 << ordinal();
    }

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Every subsystem. */
  public static final int ALL = (1 << Subsystem.values().length) - 1;

  /** Told of changed subsystems; called with the hub's lock held, so it must only schedule. */
  public interface Subscriber {
    void changed(int mask);
  }

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final TrackIndex index;
  private final long startedMs = System.currentTimeMillis();

  private PlayerState last;
  private long version = 1;
  private final List<String> queueIds = new ArrayList<>();
  private final Map<String, Long> movedAt = new HashMap<>();
  private int updateJob;
  private int nextUpdateJob = 1;
  private long dbUpdateMs = startedMs;
  private long playedMs;
  private long playingSinceMs = -1;

  IdleBus(TrackIndex index) {
    this.index = index;
  }

  public void subscribe(Subscriber s) {
    subscribers.add(s);
  }

  public void unsubscribe(Subscriber s) {
    subscribers.remove(s);
  }

  /** Parses a subsystem name; null when unknown. */
  public static Subsystem subsystem(String name) {
    for (Subsystem s : Subsystem.values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** Names of the subsystems in {@code mask}, in MPD's order. */
  public static List<String> names(int mask) {
    List<String> out = new ArrayList<>();
    for (Subsystem s : Subsystem.values()) {
      if ((mask & s.bit()) != 0) {
        out.add(s.wireName());
      }
    }
    return out;
  }

  /**
   * Tells every connection of a change that is not a state event (MPD's {@code subscription}: a
   * connection subscribed to or left a channel). Only schedules; callable from any thread.
   */
  void emit(int mask) {
    for (Subscriber s : subscribers) {
      s.changed(mask);
    }
  }

  @Override
  public void published(EncodedEvent event) {
    int mask;
    synchronized (this) {
      mask = apply(event.envelope());
    }
    if (mask != 0) {
      for (Subscriber s : subscribers) {
        s.changed(mask);
      }
    }
  }

  private int apply(Envelope e) {
    switch (e.getBodyCase()) {
      case PLAYER:
        return player(e.getPlayer().getState(), e.getPlayer().getCause());
      case QUEUE:
        queue(e.getQueue());
        return Subsystem.PLAYLIST.bit();
      case OUTPUTS:
        return Subsystem.OUTPUT.bit() | Subsystem.OPTIONS.bit();
      case PLAYLISTS:
        return Subsystem.STORED_PLAYLIST.bit();
      case LIBRARY:
        return library(e.getLibrary());
      case SETTINGS:
        return switch (e.getSettings().getChangeCase()) {
          case CROSSFADE, RESET -> Subsystem.OPTIONS.bit(); // MPD's xfade and mixramp options
          default -> 0;
        };
      default:
        return 0;
    }
  }

  private int player(PlayerState s, Cause cause) {
    int mask = 0;
    if (last == null) {
      mask = Subsystem.PLAYER.bit() | Subsystem.MIXER.bit() | Subsystem.OPTIONS.bit();
    } else {
      if (s.getState() != last.getState()
          || !s.getCurrent().getItemId().equals(last.getCurrent().getItemId())
          || cause == Cause.CAUSE_SEEK
          || !s.getError().equals(last.getError())) {
        mask |= Subsystem.PLAYER.bit();
      }
      if (s.getVolume() != last.getVolume() || s.getMuted() != last.getMuted()) {
        mask |= Subsystem.MIXER.bit();
      }
      if (s.getShuffle() != last.getShuffle()
          || s.getRepeat() != last.getRepeat()
          || s.getSingle() != last.getSingle()
          || s.getConsume() != last.getConsume()
          || s.getSingleOneshot() != last.getSingleOneshot()
          || s.getConsumeOneshot() != last.getConsumeOneshot()) {
        mask |= Subsystem.OPTIONS.bit();
      }
    }
    long now = System.currentTimeMillis();
    boolean playing = s.getState() == PlaybackState.PLAYBACK_STATE_PLAYING;
    if (playing && playingSinceMs < 0) {
      playingSinceMs = now;
    } else if (!playing && playingSinceMs >= 0) {
      playedMs += now - playingSinceMs;
      playingSinceMs = -1;
    }
    last = s;
    return mask;
  }

  private void queue(QueueChanged q) {
    version++;
    List<String> before = new ArrayList<>(queueIds);
    switch (q.getChangeCase()) {
      case INSERTED -> {
        List<String> ids = new ArrayList<>();
        for (QueueItem i : q.getInserted().getItemsList()) {
          ids.add(i.getItemId());
        }
        int at = Math.min(q.getInserted().getIndex(), queueIds.size());
        queueIds.addAll(at, ids);
      }
      case REMOVED -> {
        queueIds.removeAll(q.getRemoved().getItemIdsList());
        q.getRemoved().getItemIdsList().forEach(movedAt::remove);
      }
      case MOVED -> {
        String id = q.getMoved().getItemId();
        if (queueIds.remove(id)) {
          queueIds.add(Math.min(q.getMoved().getToIndex(), queueIds.size()), id);
        }
      }
      case REPLACED -> {
        queueIds.clear();
        movedAt.clear();
        for (QueueItem i : q.getReplaced().getItemsList()) {
          queueIds.add(i.getItemId());
        }
      }
      case UPDATED -> {
        // Song details changed in place (format, duration): plchanges lists them, as MPD does for
        // a queued song whose tags changed.
        for (QueueItem i : q.getUpdated().getItemsList()) {
          movedAt.put(i.getItemId(), version);
        }
      }
      default -> {}
    }
    for (int i = 0; i < queueIds.size(); i++) {
      String id = queueIds.get(i);
      if (i >= before.size() || !before.get(i).equals(id)) {
        movedAt.put(id, version);
      }
    }
  }

  private int library(LibraryChanged l) {
    switch (l.getChangeCase()) {
      case SCAN_STARTED:
        updateJob = nextUpdateJob++;
        return Subsystem.UPDATE.bit();
      case SCAN_COMPLETED:
        updateJob = 0;
        dbUpdateMs = System.currentTimeMillis();
        index.invalidate();
        return Subsystem.UPDATE.bit() | Subsystem.DATABASE.bit();
      case TRACKS_ADDED:
      case TRACKS_UPDATED:
      case TRACKS_REMOVED:
      case FOLDER_ADDED:
      case FOLDER_REMOVED:
        index.invalidate();
        return Subsystem.DATABASE.bit();
      default:
        return 0;
    }
  }

  /** The queue's version: MPD's {@code playlist:} number. */
  public synchronized long version() {
    return version;
  }

  /** The id of the queue item at {@code index} in queue order, or null past the end. */
  synchronized String itemAt(int index) {
    return index >= 0 && index < queueIds.size() ? queueIds.get(index) : null;
  }

  /** The version at which this queue item was added or last changed position (0 if unknown). */
  synchronized long changedAt(String itemId) {
    return movedAt.getOrDefault(itemId, 0L);
  }

  /** The number of the running update job, 0 when none runs. */
  synchronized int updateJob() {
    return updateJob;
  }

  /** The number the next update job will get (when one is asked for). */
  synchronized int expectUpdate() {
    return updateJob != 0 ? updateJob : nextUpdateJob;
  }

  synchronized long dbUpdateSeconds() {
    return dbUpdateMs / 1000;
  }

  synchronized long uptimeSeconds() {
    return (System.currentTimeMillis() - startedMs) / 1000;
  }

  synchronized long playtimeSeconds() {
    long p = playedMs;
    if (playingSinceMs >= 0) {
      p += System.currentTimeMillis() - playingSinceMs;
    }
    return p / 1000;
  }
}
