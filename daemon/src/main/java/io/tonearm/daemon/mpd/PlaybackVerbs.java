package io.tonearm.daemon.mpd;

import io.tonearm.daemon.player.Player;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.RepeatMode;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.ReplayGainMode;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Playback ({@code play}, {@code pause}, {@code seek}...), volume and the play options. */
final class PlaybackVerbs {
  private PlaybackVerbs() {}

  static void register(MpdService.Shared s) {
    Player p = s.player();
    s.table()
        .add(
            "play",
            0,
            1,
            s.scopeOf("player.play"),
            c -> {
              if (!c.has(0) || c.intArg(0) < 0) {
                return playAny(p, c);
              }
              int pos = c.intArg(0);
              return p.queue().thenCompose(q -> done(p.play(Queue.itemAt(q, pos), c.origin())));
            })
        .add(
            "playid",
            0,
            1,
            s.scopeOf("player.play"),
            c -> {
              if (!c.has(0) || c.intArg(0) < 0) {
                return playAny(p, c);
              }
              return p.queue()
                  .thenCompose(q -> done(p.play(Queue.itemWithId(q, c.arg(0)), c.origin())));
            })
        .add(
            "pause",
            0,
            1,
            s.scopeOf("player.pause"),
            c -> {
              if (!c.has(0)) {
                return done(p.toggle(c.origin()));
              }
              if (Args.bool(c.arg(0))) {
                return done(p.pause(c.origin()));
              }
              return p.state()
                  .thenCompose(
                      st ->
                          st.getState().getState() == PlaybackState.PLAYBACK_STATE_PAUSED
                              ? done(p.play("", c.origin()))
                              : CompletableFuture.completedFuture(null));
            })
        .add("stop", 0, 0, s.scopeOf("player.stop"), c -> done(p.stop(c.origin())))
        .add("next", 0, 0, s.scopeOf("player.next"), c -> step(p, c, true))
        .add("previous", 0, 0, s.scopeOf("player.previous"), c -> step(p, c, false))
        .add(
            "seek",
            2,
            2,
            s.scopeOf("player.seek"),
            c -> {
              int pos = Args.unsigned(c.arg(0));
              long ms = Args.millis(c.arg(1));
              return p.queue().thenCompose(q -> seekItem(p, Queue.itemAt(q, pos), ms, c));
            })
        .add(
            "seekid",
            2,
            2,
            s.scopeOf("player.seek"),
            c -> {
              long ms = Args.millis(c.arg(1));
              return p.queue().thenCompose(q -> seekItem(p, Queue.itemWithId(q, c.arg(0)), ms, c));
            })
        .add(
            "seekcur",
            1,
            1,
            s.scopeOf("player.seek"),
            c -> {
              String a = c.arg(0);
              long ms = Args.millis(a);
              boolean relative = a.startsWith("+") || a.startsWith("-");
              return p.state()
                  .thenCompose(
                      st -> {
                        long target =
                            relative
                                ? Math.round(StatusVerbs.elapsedSeconds(st.getState()) * 1000) + ms
                                : ms;
                        return done(p.seek(Math.max(0, target), c.origin()));
                      });
            })
        .add(
            "setvol",
            1,
            1,
            s.scopeOf("player.volume"),
            c -> {
              int v = c.intArg(0);
              if (v < 0 || v > 100) {
                throw AckException.arg("Invalid volume value");
              }
              return done(p.volume(v, c.origin()));
            })
        .add(
            "volume",
            1,
            1,
            s.scopeOf("player.volume"),
            c -> {
              int delta = c.intArg(0);
              if (delta < -100 || delta > 100) {
                throw AckException.arg("Invalid volume value");
              }
              return p.state()
                  .thenCompose(
                      st -> {
                        int v = Math.max(0, Math.min(100, st.getState().getVolume() + delta));
                        return done(p.volume(v, c.origin()));
                      });
            })
        .add(
            "getvol",
            0,
            0,
            s.scopeOf("player.state"),
            c ->
                p.state()
                    .thenAccept(
                        st -> {
                          PlayerState x = st.getState();
                          c.reply().field("volume", x.getMuted() ? 0 : x.getVolume());
                        }))
        .add(
            "random",
            1,
            1,
            s.scopeOf("player.shuffle"),
            c -> done(p.shuffle(Args.bool(c.arg(0)), c.origin())))
        .add(
            "repeat",
            1,
            1,
            s.scopeOf("player.repeat"),
            c ->
                done(
                    p.repeat(
                        Args.bool(c.arg(0))
                            ? RepeatMode.REPEAT_MODE_ALL
                            : RepeatMode.REPEAT_MODE_NONE,
                        c.origin())))
        .add(
            "single",
            1,
            1,
            s.scopeOf("player.single"),
            c -> {
              boolean oneshot = c.arg(0).equals("oneshot");
              boolean on = oneshot || Args.bool(c.arg(0));
              return p.state()
                  .thenCompose(
                      st ->
                          !on && st.getState().getRepeat() == RepeatMode.REPEAT_MODE_ONE
                              ? p.repeat(RepeatMode.REPEAT_MODE_ALL, c.origin())
                              : CompletableFuture.completedFuture(null))
                  .thenCompose(x -> done(p.single(on, oneshot, c.origin())));
            })
        .add(
            "consume",
            1,
            1,
            s.scopeOf("player.consume"),
            c -> {
              boolean oneshot = c.arg(0).equals("oneshot");
              boolean on = oneshot || Args.bool(c.arg(0));
              return done(p.consume(on, oneshot, c.origin()));
            })
        .add(
            "replay_gain_mode",
            1,
            1,
            s.scopeOf("outputs.replaygain"),
            c -> {
              ReplayGainMode mode =
                  switch (c.arg(0)) {
                    case "off" -> ReplayGainMode.REPLAY_GAIN_MODE_OFF;
                    case "track" -> ReplayGainMode.REPLAY_GAIN_MODE_TRACK;
                    case "album" -> ReplayGainMode.REPLAY_GAIN_MODE_ALBUM;
                    case "auto" -> ReplayGainMode.REPLAY_GAIN_MODE_AUTO;
                    default -> throw AckException.arg("Unrecognized replay gain mode");
                  };
              return p.outputsState()
                  .thenCompose(
                      o -> {
                        ReplayGainConfig next =
                            o.getState().getReplayGain().toBuilder().setMode(mode).build();
                        return done(p.replayGain(next, c.origin()));
                      });
            })
        .add(
            "replay_gain_status",
            0,
            0,
            s.scopeOf("outputs.get"),
            c ->
                p.outputsState()
                    .thenAccept(
                        o ->
                            c.reply()
                                .field(
                                    "replay_gain_mode",
                                    o.getState()
                                        .getReplayGain()
                                        .getMode()
                                        .name()
                                        .substring("REPLAY_GAIN_MODE_".length())
                                        .toLowerCase(Locale.ROOT))));
  }

  /** Seeks within the current item, or starts {@code itemId} and then seeks. */
  private static CompletionStage<Void> seekItem(Player p, String itemId, long ms, Verb c) {
    if (ms < 0) {
      throw AckException.arg("Negative position");
    }
    return p.state()
        .thenCompose(
            st -> {
              boolean current = st.getState().getCurrent().getItemId().equals(itemId);
              boolean active = active(st.getState().getState());
              CompletionStage<?> start =
                  current && active
                      ? CompletableFuture.completedFuture(null)
                      : p.play(itemId, c.origin());
              return start.thenCompose(x -> done(p.seek(ms, c.origin())));
            });
  }

  /**
   * {@code next} and {@code previous} as MPD's: "Not playing" (ACK 55) while stopped, and the song
   * they reach plays, also from pause (Tonearm's own next and previous keep a paused player paused;
   * its state changes twice here: the new item paused, then playing).
   */
  private static CompletionStage<Void> step(Player p, Verb c, boolean forward) {
    return p.state()
        .thenCompose(
            st -> {
              if (!active(st.getState().getState())) {
                throw new AckException(AckException.PLAYER_SYNC, "Not playing");
              }
              CompletionStage<PlayerReply> moved =
                  forward ? p.next(c.origin()) : p.previous(c.origin());
              return moved.thenCompose(
                  r ->
                      r.getState().getState() == PlaybackState.PLAYBACK_STATE_PAUSED
                          ? done(p.play("", c.origin()))
                          : CompletableFuture.completedFuture(null));
            });
  }

  /** Whether a song is current and playing, loading or paused: MPD's "playing" (not stopped). */
  private static boolean active(PlaybackState s) {
    return s == PlaybackState.PLAYBACK_STATE_PLAYING
        || s == PlaybackState.PLAYBACK_STATE_PAUSED
        || s == PlaybackState.PLAYBACK_STATE_LOADING;
  }

  /** {@code play} without a song: as MPD, nothing (and OK) while the queue is empty. */
  private static CompletionStage<Void> playAny(Player p, Verb c) {
    return p.queue()
        .thenCompose(
            q ->
                q.getQueue().getItemsCount() == 0
                    ? CompletableFuture.<Void>completedFuture(null)
                    : done(p.play("", c.origin())));
  }

  static CompletionStage<Void> done(CompletionStage<?> stage) {
    return stage.thenApply(x -> null);
  }

  /** Positions and ids of the queue. */
  static final class Queue {
    private Queue() {}

    static String itemAt(QueueReply q, int pos) {
      if (pos < 0 || pos >= q.getQueue().getItemsCount()) {
        throw AckException.arg("Bad song index");
      }
      return q.getQueue().getItems(pos).getItemId();
    }

    static String itemWithId(QueueReply q, String id) {
      Args.unsigned(id);
      for (var i : q.getQueue().getItemsList()) {
        if (i.getItemId().equals(id)) {
          return id;
        }
      }
      throw AckException.noExist("No such song");
    }

    static int positionOf(QueueReply q, String id) {
      for (int i = 0; i < q.getQueue().getItemsCount(); i++) {
        if (q.getQueue().getItems(i).getItemId().equals(id)) {
          return i;
        }
      }
      throw AckException.noExist("No such song");
    }
  }
}
