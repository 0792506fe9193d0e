package io.tonearm.daemon.player;

import io.tonearm.daemon.audio.AudioEngine;
import io.tonearm.daemon.audio.Play;
import io.tonearm.daemon.audio.PlaybackClock;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.dsp.ReplayGainSettings;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Error;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.Position;
import io.tonearm.proto.v1.QueueChanged;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.RepeatMode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The state machine: what is current, whether it plays, the modes, and what the engine is told to
 * play next. Player thread only. Methods that change state publish one event and return its seq, or
 * return -1 when nothing changed (the caller then answers with the current seq).
 */
final class Playback {

  private final PlayQueue queue;
  private final AudioEngine engine;
  private final StatePublisher publisher;
  private final Runnable changed;
  private final PlaySlots slots;

  /** Whether this player holds one of the {@link PlaySlots}: exactly while it is active. */
  private boolean holdsSlot;

  PlaybackState state = PlaybackState.PLAYBACK_STATE_STOPPED;
  QueueEntry current;
  int volume = 100;
  boolean muted;
  boolean single;
  boolean consume;
  boolean singleOneshot; // single goes off when playback stops at the end of the current item
  boolean consumeOneshot; // consume goes off once it has removed one item
  RepeatMode repeat = RepeatMode.REPEAT_MODE_NONE;
  ReplayGainSettings replayGain = ReplayGainSettings.DEFAULT;
  Crossfade crossfade = Crossfade.OFF;
  private Error error;
  private Play currentPlay;

  /**
   * The loaded play while its first frame has not been heard yet, with the cause and origin of what
   * loaded it: PLAYING waits in LOADING until then and is published with these.
   */
  private Play unheard;

  private Cause loadCause = Cause.CAUSE_COMMAND;
  private Origin loadOrigin = StatePublisher.DAEMON;
  private long nextPlayId = 1;

  /** The state the last PlayerChanged carried, and its seq (-1: none yet). */
  private PlayerState publishedState;

  private long publishedSeq = -1;

  private final Lookahead lookahead;

  /**
   * @param changed run after every change worth saving
   * @param slots taken while active (loading, playing, paused), shared by every zone's player
   */
  Playback(
      PlayQueue queue,
      AudioEngine engine,
      StatePublisher publisher,
      Runnable changed,
      PlaySlots slots) {
    this.queue = queue;
    this.slots = slots;
    this.engine = engine;
    this.publisher = publisher;
    this.changed = changed;
    this.lookahead = new Lookahead(this, queue, engine);
  }

  // ---- state ----

  PlayerState state() {
    PlayerState.Builder s =
        PlayerState.newBuilder()
            .setState(state)
            .setVolume(volume)
            .setMuted(muted)
            .setShuffle(queue.isShuffled())
            .setRepeat(repeat)
            .setSingle(single)
            .setConsume(consume)
            .setSingleOneshot(single && singleOneshot)
            .setConsumeOneshot(consume && consumeOneshot)
            .setQueueLength(queue.size())
            .setQueueIndex(current == null ? -1 : queue.indexOf(current.id))
            .setPosition(position());
    if (current != null) {
      s.setCurrent(StatePublisher.item(current)).setDurationMs(current.durationMs());
    }
    if (error != null) {
      s.setError(error);
    }
    return s.build();
  }

  /** The position from the output clock; 0 while stopped. */
  Position position() {
    PlaybackClock.Position p = engine.clock().now();
    boolean stopped =
        state == PlaybackState.PLAYBACK_STATE_STOPPED
            || state == PlaybackState.PLAYBACK_STATE_ERROR;
    long micros = stopped || p.play() == null ? 0 : p.micros();
    if (current != null && current.durationMs() > 0) {
      micros = Math.min(micros, current.durationMs() * 1000);
    }
    return Position.newBuilder()
        .setPositionUs(micros)
        .setServerTimeUs(p.atMicros())
        .setRate(state == PlaybackState.PLAYBACK_STATE_PLAYING ? 1.0 : 0.0)
        .build();
  }

  /** Position in ms, for saving. */
  long positionMs() {
    return position().getPositionUs() / 1000;
  }

  long publish(Cause cause, Origin origin) {
    changed.run();
    PlayerState s = state();
    long seq = publisher.player(s, cause, origin);
    publishedState = s;
    publishedSeq = seq;
    return seq;
  }

  /** The state the last PlayerChanged carried (the one of {@link #publishedSeq}), or null. */
  PlayerState publishedState() {
    return publishedState;
  }

  /** Seq of the last PlayerChanged this player published; -1 for none. */
  long publishedSeq() {
    return publishedSeq;
  }

  // ---- commands ----

  long play(String itemId, Origin origin) {
    if (!itemId.isEmpty()) {
      QueueEntry e = entry(itemId);
      start(e, 0, false, origin);
      return publish(Cause.CAUSE_COMMAND, origin);
    }
    switch (state) {
      case PLAYBACK_STATE_PLAYING:
      case PLAYBACK_STATE_LOADING:
        return -1;
      case PLAYBACK_STATE_PAUSED:
        setPaused(false);
        if (unheard != null) {
          // Loaded while paused (a restore, a seek, a jump): nothing of it was heard yet.
          state = PlaybackState.PLAYBACK_STATE_LOADING;
          loadCause = Cause.CAUSE_COMMAND;
          loadOrigin = origin;
        } else {
          state = PlaybackState.PLAYBACK_STATE_PLAYING;
        }
        return publish(Cause.CAUSE_COMMAND, origin);
      default:
        QueueEntry e = current != null ? current : queue.first().orElse(null);
        if (e == null) {
          throw DomainException.conflict("the queue is empty");
        }
        start(e, 0, false, origin);
        return publish(Cause.CAUSE_COMMAND, origin);
    }
  }

  long pause(Origin origin) {
    if (state != PlaybackState.PLAYBACK_STATE_PLAYING
        && state != PlaybackState.PLAYBACK_STATE_LOADING) {
      return -1;
    }
    setPaused(true);
    state = PlaybackState.PLAYBACK_STATE_PAUSED;
    return publish(Cause.CAUSE_COMMAND, origin);
  }

  long toggle(Origin origin) {
    return state == PlaybackState.PLAYBACK_STATE_PLAYING
            || state == PlaybackState.PLAYBACK_STATE_LOADING
        ? pause(origin)
        : play("", origin);
  }

  long stop(Origin origin) {
    if (state == PlaybackState.PLAYBACK_STATE_STOPPED) {
      return -1;
    }
    halt();
    return publish(Cause.CAUSE_COMMAND, origin);
  }

  long next(Origin origin) {
    QueueEntry n =
        current == null
            ? queue.first().orElse(null)
            : queue.after(current, repeat == RepeatMode.REPEAT_MODE_ALL).orElse(null);
    return jump(n, origin);
  }

  long previous(Origin origin) {
    QueueEntry p =
        current == null
            ? null
            : queue.before(current, repeat == RepeatMode.REPEAT_MODE_ALL).orElse(current);
    return jump(p, origin);
  }

  private long jump(QueueEntry to, Origin origin) {
    boolean active = isActive();
    if (to == null) {
      if (!active) {
        return -1;
      }
      halt(); // past the end of the queue
      return publish(Cause.CAUSE_COMMAND, origin);
    }
    if (active) {
      start(to, 0, state == PlaybackState.PLAYBACK_STATE_PAUSED, origin);
    } else {
      if (to == current) {
        return -1;
      }
      current = to;
    }
    return publish(Cause.CAUSE_COMMAND, origin);
  }

  long seek(long positionMs, Origin origin) {
    if (!isActive()) {
      throw DomainException.conflict("nothing is playing or paused");
    }
    long duration = current.durationMs();
    boolean known = current.format != null && current.format.frames() >= 0;
    if (positionMs < 0 || (known && positionMs > duration)) {
      throw DomainException.outOfRange("position_ms", positionMs, "0 to " + duration);
    }
    int rate = current.format.sampleRate();
    long frame = positionMs * rate / 1000;
    boolean paused = state == PlaybackState.PLAYBACK_STATE_PAUSED;
    Decoder d;
    try {
      d = open(current);
      d.seek(frame);
    } catch (IOException | RuntimeException e) {
      fail(current, e, origin);
      skipFrom(current, paused, origin);
      return publish(Cause.CAUSE_SEEK, origin);
    }
    load(current, d, frame);
    if (!paused) {
      state = PlaybackState.PLAYBACK_STATE_LOADING;
      loadCause = Cause.CAUSE_SEEK;
      loadOrigin = origin;
    }
    return publish(Cause.CAUSE_SEEK, origin);
  }

  /**
   * Resumes a restored position, paused; publishes nothing. When every play slot is taken (more
   * zones were active at the last run than may be now), the entry stays current but stopped, and
   * the state's error says why.
   */
  void restore(QueueEntry entry, long positionMs) {
    try {
      takeSlot();
    } catch (DomainException full) {
      current = entry;
      error =
          Error.newBuilder()
              .setCode(full.code())
              .setMessage("not restored paused: " + full.getMessage())
              .putAllDetails(full.details())
              .build();
      return;
    }
    try {
      Decoder d = Decoders.open(entry.file);
      entry.format = d.format(); // the RESTORE queue event that follows carries it
      long frame = Math.max(0, positionMs) * d.format().sampleRate() / 1000;
      if (d.format().frames() >= 0) {
        frame = Math.min(frame, d.format().frames());
      }
      d.seek(frame);
      setPaused(true);
      state = PlaybackState.PLAYBACK_STATE_PAUSED;
      load(entry, d, frame);
    } catch (IOException | RuntimeException e) {
      giveSlot();
      current = entry;
      error = error(entry, e);
    }
  }

  // ---- what the queue tells us ----

  /**
   * The queue changed: re-decide what plays next. When the current entry was removed, playback goes
   * on with {@code follower} (the entry that came after it), or stops when there is none.
   */
  void queueChanged(List<QueueEntry> removed, QueueEntry follower, Origin origin) {
    if (current != null && removed.contains(current)) {
      if (isActive() && follower != null) {
        start(follower, 0, state == PlaybackState.PLAYBACK_STATE_PAUSED, origin);
      } else {
        halt();
        current = follower;
      }
      return;
    }
    reprime();
  }

  // ---- engine reports (player thread) ----

  void decoderAdvanced(Play from, Play to) {
    if (lookahead.advanced(from, to)) {
      reprime(); // the decoder took a next that had been replaced: put it right
    }
  }

  void playStarted(Play play) {
    if (unheard != null && play.playId() == unheard.playId()) {
      unheard = null; // the first frame of what was loaded is heard: LOADING is over
      if (state == PlaybackState.PLAYBACK_STATE_LOADING) {
        state = PlaybackState.PLAYBACK_STATE_PLAYING;
        publish(loadCause, loadOrigin);
      } else if (state == PlaybackState.PLAYBACK_STATE_PAUSED) {
        // Paused while LOADING: the pause told position 0 (nothing heard yet), and the frames
        // played before the output stopped now count. Say so, as GET now does.
        publish(Cause.CAUSE_OPENED, StatePublisher.DAEMON);
      }
      startedPlaying(current);
      return;
    }
    QueueEntry e = isActive() ? lookahead.heard(play) : null;
    if (e == null) {
      return; // a report from before a load or stop
    }
    unheard = null; // the loaded play ended (or failed) before a frame of it was heard
    if (state == PlaybackState.PLAYBACK_STATE_LOADING) {
      state = PlaybackState.PLAYBACK_STATE_PLAYING;
    }
    for (Lookahead.Failure f : lookahead.takeFailures(play)) {
      fail(f.entry(), f.error(), StatePublisher.DAEMON); // skipped: reported when it would be heard
    }
    QueueEntry finished = current;
    current = e;
    currentPlay = play;
    if (consume && finished != null && finished != e && queue.indexOf(finished.id) >= 0) {
      consumeEntry(finished);
    }
    if (queue.indexOf(e.id) < 0) {
      // Removed while it was being primed: play on from where it would have been.
      skipFrom(e, state == PlaybackState.PLAYBACK_STATE_PAUSED, StatePublisher.DAEMON);
    }
    publish(Cause.CAUSE_AUTO_ADVANCE, StatePublisher.DAEMON);
    startedPlaying(current);
  }

  /**
   * An entry is heard: its priority goes back to 0 (as MPD resets a song's priority when it
   * starts), so that with repeat it does not jump ahead again; one QueueChanged.updated says so.
   */
  private void startedPlaying(QueueEntry e) {
    if (e == null || e.priority == 0 || queue.indexOf(e.id) < 0) {
      return;
    }
    e.priority = 0;
    publisher.queue(
        QueueChanged.newBuilder()
            .setUpdated(QueueChanged.Updated.newBuilder().addItems(StatePublisher.item(e))),
        queue.items(),
        Cause.CAUSE_AUTO_ADVANCE,
        StatePublisher.DAEMON);
  }

  void playFailed(Play play, String reason) {
    QueueEntry e = queue.byId(Long.parseLong(play.itemId())).orElse(null);
    error =
        Error.newBuilder()
            .setCode("unplayable")
            .setMessage(
                "cannot play item "
                    + play.itemId()
                    + (e == null ? "" : " (" + e.relative + ")")
                    + ": "
                    + reason)
            .putDetails("item_id", play.itemId())
            .putDetails("path", e == null ? "" : e.relative)
            .build();
    publish(Cause.CAUSE_ERROR, StatePublisher.DAEMON);
  }

  /**
   * The decoder of {@code play} skipped damaged data and goes on: one ERROR event ({@code
   * error.code = "damaged"}) naming the item and the span; the state does not change.
   */
  void playDamaged(Play play, String what) {
    QueueEntry e = queue.byId(Long.parseLong(play.itemId())).orElse(null);
    error =
        Error.newBuilder()
            .setCode("damaged")
            .setMessage(
                "item " + play.itemId() + (e == null ? "" : " (" + e.relative + ")") + ": " + what)
            .putDetails("item_id", play.itemId())
            .putDetails("path", e == null ? "" : e.relative)
            .build();
    publish(Cause.CAUSE_ERROR, StatePublisher.DAEMON);
  }

  void endOfStream(long generation) {
    if (generation != engine.generation() || !isActive()) {
      return;
    }
    QueueEntry finished = current;
    for (Lookahead.Failure f : lookahead.takeFailuresAtEnd()) {
      fail(f.entry(), f.error(), StatePublisher.DAEMON); // skipped: reported when it would be heard
    }
    halt();
    if (consume && finished != null && queue.indexOf(finished.id) >= 0) {
      consumeEntry(finished);
    }
    if (!single || current == null || queue.indexOf(current.id) < 0) {
      current = null;
    }
    if (single && singleOneshot) {
      single = false; // it stopped playback once: that was all it was for
      singleOneshot = false;
    }
    publish(Cause.CAUSE_AUTO_ADVANCE, StatePublisher.DAEMON);
  }

  void outputFailed(String outputId, String reason) {
    error =
        Error.newBuilder()
            .setCode("output_failed")
            .setMessage("output " + outputId + " failed: " + reason)
            .putDetails("output_id", outputId)
            .build();
    publish(Cause.CAUSE_ERROR, StatePublisher.DAEMON);
  }

  // ---- internals ----

  private void takeSlot() {
    if (!holdsSlot) {
      slots.take();
      holdsSlot = true;
    }
  }

  /**
   * Gives the play slot back, if held, and lets the engine drop its audio buffers: on a stop, an
   * error that stops, and the player's close. The engine must be stopped already.
   */
  void giveSlot() {
    if (holdsSlot) {
      holdsSlot = false;
      slots.give();
      engine.releaseBuffers();
    }
  }

  boolean isActive() {
    return state == PlaybackState.PLAYBACK_STATE_PLAYING
        || state == PlaybackState.PLAYBACK_STATE_LOADING
        || state == PlaybackState.PLAYBACK_STATE_PAUSED;
  }

  QueueEntry entry(String itemId) {
    try {
      return queue.byId(Long.parseLong(itemId)).orElseThrow(() -> notFound(itemId));
    } catch (NumberFormatException e) {
      throw notFound(itemId);
    }
  }

  private static DomainException notFound(String itemId) {
    return DomainException.notFound("queue item", itemId);
  }

  /**
   * Starts {@code e} at {@code frame}; an entry that cannot be opened is reported (one ERROR event
   * each) and the next one in play order is tried, until one opens or all have failed.
   */
  private void start(QueueEntry e, long frame, boolean paused, Origin origin) {
    takeSlot(); // refused before anything changes when every slot is taken
    QueueEntry candidate = e;
    for (int tries = queue.size(); candidate != null && tries > 0; tries--) {
      Decoder d;
      try {
        d = open(candidate);
        if (frame > 0) {
          d.seek(frame);
        }
      } catch (IOException | RuntimeException ex) {
        fail(candidate, ex, origin);
        candidate = queue.after(candidate, repeat == RepeatMode.REPEAT_MODE_ALL).orElse(null);
        frame = 0;
        continue;
      }
      setPaused(paused);
      state = paused ? PlaybackState.PLAYBACK_STATE_PAUSED : PlaybackState.PLAYBACK_STATE_LOADING;
      loadCause =
          origin.equals(StatePublisher.DAEMON) ? Cause.CAUSE_AUTO_ADVANCE : Cause.CAUSE_COMMAND;
      loadOrigin = origin;
      load(candidate, d, frame);
      return;
    }
    engine.stop();
    giveSlot();
    lookahead.clear();
    state = PlaybackState.PLAYBACK_STATE_ERROR;
    current = e;
    currentPlay = null;
    unheard = null;
  }

  private void skipFrom(QueueEntry e, boolean paused, Origin origin) {
    QueueEntry n = queue.after(e, repeat == RepeatMode.REPEAT_MODE_ALL).orElse(null);
    if (n == null || n == e) {
      halt();
      current = null;
    } else {
      start(n, 0, paused, origin);
    }
  }

  private void load(QueueEntry e, Decoder d, long frame) {
    Play play = newPlay(e);
    engine.load(play, d, frame);
    current = e;
    currentPlay = play;
    unheard = play;
    error = null;
    lookahead.reset(e, play);
  }

  private void halt() {
    engine.stop();
    giveSlot();
    lookahead.clear();
    state = PlaybackState.PLAYBACK_STATE_STOPPED;
    currentPlay = null;
    unheard = null;
  }

  /**
   * Re-decides what follows the head play (after a queue or mode change). When the decoder has
   * already run ahead into an item that is no longer what follows the current one, the current item
   * is reloaded at the position heard now, so nothing stale plays.
   */
  void reprime() {
    if (!isActive() || !lookahead.active()) {
      return;
    }
    if (!lookahead.chainValid(current, currentPlay)) {
      PlaybackClock.Position p = engine.clock().now();
      long frame =
          p.play() != null && currentPlay != null && p.play().playId() == currentPlay.playId()
              ? p.itemFrame()
              : 0;
      try {
        Decoder d = open(current);
        long known = d.format().frames();
        long at = known >= 0 ? Math.min(frame, known) : frame;
        d.seek(at);
        load(current, d, at);
      } catch (IOException | RuntimeException e) {
        fail(current, e, StatePublisher.DAEMON);
        skipFrom(current, state == PlaybackState.PLAYBACK_STATE_PAUSED, StatePublisher.DAEMON);
      }
      return;
    }
    lookahead.primeNext();
  }

  /**
   * Opens {@code e}'s file. When that tells something new about the entry (its format and length,
   * the first time it is opened or after the file changed), one QueueChanged.updated carrying it is
   * published (cause OPENED), so a client's copy of the queue stays equal to the daemon's.
   */
  Decoder open(QueueEntry e) throws IOException {
    Decoder d = Decoders.open(e.file);
    QueueItem before = StatePublisher.item(e);
    e.format = d.format();
    QueueItem after = StatePublisher.item(e);
    if (!after.equals(before) && queue.indexOf(e.id) >= 0) {
      publisher.queue(
          QueueChanged.newBuilder().setUpdated(QueueChanged.Updated.newBuilder().addItems(after)),
          queue.items(),
          Cause.CAUSE_OPENED,
          StatePublisher.DAEMON);
    }
    return d;
  }

  Play newPlay(QueueEntry e) {
    float gain = replayGain.linearGain(e.gain(), queue.isShuffled());
    return new Play(nextPlayId++, e.itemId(), gain);
  }

  /** Reports an unplayable entry: one ERROR event naming it and why. */
  void fail(QueueEntry e, Exception ex, Origin origin) {
    error = error(e, ex);
    publish(Cause.CAUSE_ERROR, origin);
  }

  private static Error error(QueueEntry e, Exception ex) {
    return Error.newBuilder()
        .setCode("unplayable")
        .setMessage("cannot play item " + e.itemId() + " (" + e.relative + "): " + ex.getMessage())
        .putDetails("item_id", e.itemId())
        .putDetails("path", e.relative)
        .build();
  }

  private void setPaused(boolean paused) {
    try {
      engine.setPaused(paused).get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("output thread did not answer", e);
    }
  }

  private void consumeEntry(QueueEntry finished) {
    if (consumeOneshot) {
      consume = false; // one item consumed: off again (the PlayerChanged that follows says so)
      consumeOneshot = false;
    }
    queue.removeAll(List.of(finished));
    publisher.queue(
        QueueChanged.newBuilder()
            .setRemoved(QueueChanged.Removed.newBuilder().addItemIds(finished.itemId())),
        queue.items(),
        Cause.CAUSE_AUTO_ADVANCE,
        StatePublisher.DAEMON);
  }
}
