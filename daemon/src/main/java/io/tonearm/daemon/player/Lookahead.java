package io.tonearm.daemon.player;

import io.tonearm.daemon.audio.AudioEngine;
import io.tonearm.daemon.audio.Play;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.proto.v1.RepeatMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the decoder runs into after the current item: the head play (the one being decoded, up to
 * two seconds ahead of what is heard) and the primed next one, opened early so that the switch is
 * gapless. Player thread only.
 */
final class Lookahead {

  private final Playback playback;
  private final PlayQueue queue;
  private final AudioEngine engine;

  /** Plays handed to the engine since the last load, by play id (ascending = decoding order). */
  private final TreeMap<Long, QueueEntry> scheduled = new TreeMap<>();

  /** Scheduled plays that were primed and then replaced; the decoder may still have taken one. */
  private final Set<Long> stale = new HashSet<>();

  private QueueEntry head;
  private Play headPlay;

  /** An entry that could not be opened while priming, and why. */
  record Failure(QueueEntry entry, Exception error) {}

  /**
   * Entries skipped before a primed play, by its play id: reported when that play is heard (the
   * time they would have been), once, however often the head is sought and the next re-primed.
   */
  private final Map<Long, List<Failure>> failedBefore = new HashMap<>();

  /** Entries skipped when nothing after the head could be opened: reported at the end. */
  private List<Failure> failedAtEnd = List.of();

  Lookahead(Playback playback, PlayQueue queue, AudioEngine engine) {
    this.playback = playback;
    this.queue = queue;
    this.engine = engine;
  }

  /** True while a play is loaded. */
  boolean active() {
    return headPlay != null;
  }

  /** A play was just loaded: it is the head; primes what follows it. */
  void reset(QueueEntry e, Play play) {
    clear();
    head = e;
    headPlay = play;
    primeNext();
  }

  /** Nothing is loaded any more. */
  void clear() {
    scheduled.clear();
    stale.clear();
    failedBefore.clear();
    failedAtEnd = List.of();
    head = null;
    headPlay = null;
  }

  /**
   * The decoder went from {@code from} to {@code to}. Primes the play after it and returns false,
   * or returns true when {@code to} had been replaced meanwhile (the caller must resynchronize).
   */
  boolean advanced(Play from, Play to) {
    if (headPlay == null || from.playId() != headPlay.playId()) {
      return false;
    }
    QueueEntry e = scheduled.get(to.playId());
    if (e == null) {
      return false;
    }
    head = e;
    headPlay = to;
    if (stale.contains(to.playId())) {
      return true;
    }
    primeNext();
    return false;
  }

  /** {@code play} was heard: its entry, or null when it is not one of ours. */
  QueueEntry heard(Play play) {
    QueueEntry e = scheduled.get(play.playId());
    if (e != null) {
      scheduled.headMap(play.playId(), true).clear();
      stale.removeIf(id -> id <= play.playId());
    }
    return e;
  }

  /**
   * True when the plays decoded after {@code current} (up to the head) are still, one by one, what
   * follows it under the present queue and modes.
   */
  boolean chainValid(QueueEntry current, Play currentPlay) {
    QueueEntry e = current;
    long from = currentPlay == null ? 0 : currentPlay.playId();
    for (Map.Entry<Long, QueueEntry> s :
        scheduled.subMap(from, false, headPlay.playId(), true).entrySet()) {
      if (stale.contains(s.getKey())) {
        return false;
      }
      e = successor(e);
      if (e != s.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Tells the engine what follows the head play, opening it now. An entry that cannot be opened is
   * skipped (and the one after it tried); it is reported when the play after it is heard, or at the
   * end ({@link #takeFailures}, {@link #takeFailuresAtEnd}), not now: the head still plays.
   */
  void primeNext() {
    stale.addAll(scheduled.tailMap(headPlay.playId(), false).keySet());
    failedBefore.keySet().removeAll(stale);
    failedAtEnd = List.of();
    List<Failure> failed = new ArrayList<>();
    QueueEntry candidate = successor(head);
    for (int tries = queue.size(); candidate != null && tries > 0; tries--) {
      try {
        Decoder d = playback.open(candidate);
        Play p = playback.newPlay(candidate);
        scheduled.put(p.playId(), candidate);
        if (!failed.isEmpty()) {
          failedBefore.put(p.playId(), failed);
        }
        engine.setNext(
            headPlay.playId(),
            p,
            d,
            playback.crossfade.between(head, headPlay.gain(), candidate, p.gain()));
        return;
      } catch (IOException | RuntimeException ex) {
        failed.add(new Failure(candidate, ex));
        candidate =
            queue.after(candidate, playback.repeat == RepeatMode.REPEAT_MODE_ALL).orElse(null);
      }
    }
    failedAtEnd = failed;
    engine.setNext(headPlay.playId(), null, null);
  }

  /** The entries skipped before {@code play}, now that it is heard; each is returned once. */
  List<Failure> takeFailures(Play play) {
    List<Failure> f = failedBefore.remove(play.playId());
    return f == null ? List.of() : f;
  }

  /** The entries skipped after the last play, now that it has ended; each is returned once. */
  List<Failure> takeFailuresAtEnd() {
    List<Failure> f = failedAtEnd;
    failedAtEnd = List.of();
    return f;
  }

  /** What plays after {@code e} ends by itself. */
  QueueEntry successor(QueueEntry e) {
    if (playback.repeat == RepeatMode.REPEAT_MODE_ONE) {
      return queue.indexOf(e.id) >= 0 ? e : null;
    }
    if (playback.single) {
      return null;
    }
    return queue.after(e, playback.repeat == RepeatMode.REPEAT_MODE_ALL).orElse(null);
  }
}
