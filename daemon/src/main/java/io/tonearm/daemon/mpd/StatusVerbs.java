package io.tonearm.daemon.mpd;

import io.tonearm.daemon.audio.WallClock;
import io.tonearm.proto.v1.CrossfadeConfig;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.RepeatMode;
import java.util.Locale;

/** {@code status}, {@code currentsong}, {@code stats}. */
final class StatusVerbs {
  private StatusVerbs() {}

  static void register(MpdService.Shared s) {
    s.table()
        .add(
            "status",
            0,
            0,
            s.scopeOf("player.state"),
            c ->
                s.player()
                    .state()
                    .thenCombine(
                        s.settings().get(),
                        (p, st) -> {
                          write(c.reply(), p.getState(), st.getState().getCrossfade(), s.bus());
                          return null;
                        }))
        .add(
            "currentsong",
            0,
            0,
            s.scopeOf("player.state"),
            c ->
                s.player()
                    .state()
                    .thenCompose(
                        p ->
                            s.index()
                                .tree()
                                .thenAccept(
                                    tree -> {
                                      PlayerState st = p.getState();
                                      if (!st.hasCurrent() || st.getQueueIndex() < 0) {
                                        return;
                                      }
                                      Songs.writeQueued(
                                          c.reply(),
                                          Songs.of(
                                              st.getCurrent(),
                                              tree.byId()
                                                  .get(st.getCurrent().getTrack().getTrackId())),
                                          st.getQueueIndex(),
                                          st.getCurrent(),
                                          c.session().tags());
                                    })))
        .add(
            "stats",
            0,
            0,
            s.scopeOf("library.summary"),
            c ->
                s.index()
                    .tree()
                    .thenAccept(
                        t ->
                            c.reply()
                                .field("uptime", s.bus().uptimeSeconds())
                                .field("playtime", s.bus().playtimeSeconds())
                                .field("artists", t.artists())
                                .field("albums", t.albums())
                                .field("songs", t.tracks().size())
                                .field("db_playtime", t.totalMs() / 1000)
                                .field("db_update", s.bus().dbUpdateSeconds())));
  }

  /** MPD's {@code status} lines for a player state. */
  static void write(Reply r, PlayerState p, CrossfadeConfig x, IdleBus bus) {
    r.field("volume", p.getMuted() ? 0 : p.getVolume());
    r.field("repeat", p.getRepeat() != RepeatMode.REPEAT_MODE_NONE ? 1 : 0);
    r.field("random", p.getShuffle() ? 1 : 0);
    r.field(
        "single",
        p.getSingleOneshot()
            ? "oneshot"
            : p.getSingle() || p.getRepeat() == RepeatMode.REPEAT_MODE_ONE ? "1" : "0");
    r.field("consume", p.getConsumeOneshot() ? "oneshot" : p.getConsume() ? "1" : "0");
    r.field("partition", "default");
    r.field("playlist", bus.version());
    r.field("playlistlength", p.getQueueLength());
    if (x.getSeconds() > 0) {
      r.field("xfade", Math.round(x.getSeconds()));
    }
    r.field("mixrampdb", shortest(x.getMixrampDb()));
    if (x.getMixrampDelaySeconds() > 0) {
      r.field("mixrampdelay", shortest(x.getMixrampDelaySeconds()));
    }
    r.field("state", state(p.getState()));
    if (p.hasCurrent() && p.getQueueIndex() >= 0) {
      r.field("song", p.getQueueIndex());
      r.field("songid", p.getCurrent().getItemId());
      int next = p.getShuffle() ? -1 : nextSong(p);
      if (next >= 0) {
        // In shuffle the next item is Tonearm's play order, which the state does not carry.
        r.field("nextsong", next);
        String nextId = bus.itemAt(next);
        if (nextId != null) {
          r.field("nextsongid", nextId);
        }
      }
      String st = state(p.getState());
      if (!st.equals("stop")) {
        double elapsed = elapsedSeconds(p);
        double duration = p.getDurationMs() / 1000.0;
        r.field("time", Math.round(elapsed) + ":" + Math.round(duration));
        r.field("elapsed", String.format(Locale.ROOT, "%.3f", elapsed));
        if (p.getDurationMs() > 0) {
          r.field("duration", String.format(Locale.ROOT, "%.3f", duration));
        }
        int rate = p.getCurrent().getTrack().getSampleRate();
        int ch = p.getCurrent().getTrack().getChannels();
        if (rate > 0 && ch > 0) {
          // Tonearm's engine carries 32-bit float samples: MPD writes that as "f".
          r.field("audio", rate + ":f:" + ch);
        }
      }
    }
    int job = bus.updateJob();
    if (job != 0) {
      r.field("updating_db", job);
    }
    if (p.hasError() && !p.getError().getMessage().isEmpty()) {
      r.field("error", p.getError().getMessage());
    }
  }

  /**
   * The position MPD's {@code Queue::GetNextOrder} names in queue order, from the modes as {@code
   * status} shows them: the same song under single and repeat (without consume), else the next,
   * else the first under repeat, else none (-1).
   */
  static int nextSong(PlayerState p) {
    int cur = p.getQueueIndex();
    boolean repeat = p.getRepeat() != RepeatMode.REPEAT_MODE_NONE;
    boolean single =
        p.getSingle() || p.getSingleOneshot() || p.getRepeat() == RepeatMode.REPEAT_MODE_ONE;
    boolean consume = p.getConsume() || p.getConsumeOneshot();
    if (single && repeat && !consume) {
      return cur;
    } else if (cur + 1 < p.getQueueLength()) {
      return cur + 1;
    } else if (repeat && (cur > 0 || !consume)) {
      return 0;
    }
    return -1;
  }

  /**
   * A float as MPD 0.23 prints one ({@code fmt}'s shortest form): "0", "-17", "-17.5", not
   * "-17.500000".
   */
  static String shortest(double v) {
    float f = (float) v; // MPD keeps these as float
    return f == Math.rint(f) && Math.abs(f) < 1e15 ? Long.toString((long) f) : Float.toString(f);
  }

  static String state(PlaybackState s) {
    return switch (s) {
      case PLAYBACK_STATE_PLAYING, PLAYBACK_STATE_LOADING -> "play";
      case PLAYBACK_STATE_PAUSED -> "pause";
      default -> "stop";
    };
  }

  /** The position now, extrapolated from the state's position model, in seconds. */
  static double elapsedSeconds(PlayerState p) {
    long us = p.getPosition().getPositionUs();
    if (p.getPosition().getRate() > 0) {
      us +=
          (long)
              ((WallClock.micros() - p.getPosition().getServerTimeUs())
                  * p.getPosition().getRate());
    }
    if (p.getDurationMs() > 0) {
      us = Math.min(us, p.getDurationMs() * 1000);
    }
    return Math.max(0, us) / 1_000_000.0;
  }
}
