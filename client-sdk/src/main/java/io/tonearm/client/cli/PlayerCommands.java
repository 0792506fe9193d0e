package io.tonearm.client.cli;

import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.RepeatMode;
import java.util.List;

/**
 * status, play, pause, toggle, stop, next, prev, seek, vol, mute, random, repeat, single, consume.
 */
final class PlayerCommands {
  private final TonearmClient client;
  private final Output o;

  PlayerCommands(TonearmClient client, Output o) {
    this.client = client;
    this.o = o;
  }

  void run(String name, Args a) {
    PlayerReply r =
        switch (name) {
          case "status" -> end(a, client.player().state().execute());
          case "play" -> play(a);
          case "pause" -> end(a, client.player().pause().execute());
          case "toggle" -> end(a, client.player().toggle().execute());
          case "stop" -> end(a, client.player().stop().execute());
          case "next" -> end(a, client.player().next().execute());
          case "prev" -> end(a, client.player().previous().execute());
          case "seek" -> seek(a);
          case "vol" -> volume(a);
          case "mute" -> client.player().mute(onOff(a, state().getMuted())).execute();
          case "random" -> client.player().shuffle(onOff(a, state().getShuffle())).execute();
          case "single" -> client.player().single(onOff(a, state().getSingle())).execute();
          case "consume" -> client.player().consume(onOff(a, state().getConsume())).execute();
          case "repeat" -> repeat(a);
          default -> throw new IllegalArgumentException(name);
        };
    o.print(r, status(r.getState()));
  }

  private static PlayerReply end(Args a, PlayerReply r) {
    a.end();
    return r;
  }

  private PlayerState state() {
    return client.player().state().execute().getState();
  }

  /** {@code play [POS]}: POS counts from 1 in the queue's order. */
  private PlayerReply play(Args a) {
    String pos = a.optional();
    a.end();
    if (pos == null) {
      return client.player().play().execute();
    }
    List<QueueItem> q = client.queue().get().execute().getQueue().getItemsList();
    if (q.isEmpty()) {
      throw new UsageException("the queue is empty");
    }
    int i = a.intValue("position", pos, 1, q.size());
    return client.player().play(q.get(i - 1).getItemId()).execute();
  }

  /** {@code seek [+-]TIME}: seconds, [H:]MM:SS, or N%; with a sign, relative to now. */
  private PlayerReply seek(Args a) {
    String t = a.next("time ([+-]SECONDS, [+-]MM:SS or N%)");
    a.end();
    PlayerState s = state();
    long target;
    if (t.endsWith("%")) {
      int pct = a.intValue("percentage", t.substring(0, t.length() - 1), 0, 100);
      target = s.getDurationMs() * pct / 100;
    } else {
      boolean rel = t.startsWith("+") || t.startsWith("-");
      long ms = parseTime(rel ? t.substring(1) : t);
      long now = nowMs(s);
      target = !rel ? ms : t.startsWith("+") ? now + ms : Math.max(0, now - ms);
    }
    return client.player().seek(target).execute();
  }

  static long parseTime(String t) {
    long total = 0;
    String[] parts = t.split(":", -1);
    if (parts.length > 3) {
      throw new UsageException("time must be SECONDS, MM:SS or H:MM:SS, got '" + t + "'");
    }
    try {
      for (String p : parts) {
        total = total * 60 + Long.parseLong(p);
      }
    } catch (NumberFormatException e) {
      throw new UsageException("time must be SECONDS, MM:SS or H:MM:SS, got '" + t + "'");
    }
    return total * 1000;
  }

  /** The position now, extrapolated from the state's position model. */
  static long nowMs(PlayerState s) {
    long us = s.getPosition().getPositionUs();
    if (s.getState() == PlaybackState.PLAYBACK_STATE_PLAYING
        && s.getPosition().getServerTimeUs() > 0) {
      long nowUs = System.currentTimeMillis() * 1000;
      us += (long) ((nowUs - s.getPosition().getServerTimeUs()) * s.getPosition().getRate());
    }
    return Math.max(0, us / 1000);
  }

  private PlayerReply volume(Args a) {
    String v = a.optional();
    a.end();
    if (v == null) {
      return client.player().state().execute();
    }
    int target;
    if (v.startsWith("+") || v.startsWith("-")) {
      int delta = a.intValue("volume change", v.substring(1), 0, 100);
      int now = state().getVolume();
      target = Math.max(0, Math.min(100, now + (v.startsWith("+") ? delta : -delta)));
    } else {
      target = a.intValue("volume", v, 0, 100);
    }
    return client.player().volume(target).execute();
  }

  private PlayerReply repeat(Args a) {
    String v = a.optional();
    a.end();
    RepeatMode m =
        v == null
            ? (state().getRepeat() == RepeatMode.REPEAT_MODE_NONE
                ? RepeatMode.REPEAT_MODE_ALL
                : RepeatMode.REPEAT_MODE_NONE)
            : switch (v) {
              case "on", "all" -> RepeatMode.REPEAT_MODE_ALL;
              case "one" -> RepeatMode.REPEAT_MODE_ONE;
              case "off" -> RepeatMode.REPEAT_MODE_NONE;
              default ->
                  throw new UsageException("repeat takes on, off, all or one, got '" + v + "'");
            };
    return client.player().repeat(m).execute();
  }

  /** {@code on}, {@code off}, or nothing to flip {@code current}. */
  private static boolean onOff(Args a, boolean current) {
    String v = a.optional();
    a.end();
    if (v == null) {
      return !current;
    }
    return switch (v) {
      case "on", "1", "true" -> true;
      case "off", "0", "false" -> false;
      default -> throw new UsageException("expected on or off, got '" + v + "'");
    };
  }

  /** The player in mpc's layout: the track, a state line, a settings line. */
  static String status(PlayerState s) {
    StringBuilder b = new StringBuilder();
    if (s.hasCurrent()) {
      var t = s.getCurrent().getTrack();
      String title = t.getTitle().isEmpty() ? t.getPath() : t.getTitle();
      b.append(t.getArtist().isEmpty() ? title : t.getArtist() + " - " + title).append('\n');
      b.append(
          String.format(
              "[%s] #%d/%d   %s/%s%n",
              name(s.getState()),
              s.getQueueIndex() + 1,
              s.getQueueLength(),
              clock(nowMs(s)),
              clock(s.getDurationMs())));
    } else {
      b.append(String.format("[%s] queue: %d items%n", name(s.getState()), s.getQueueLength()));
    }
    b.append(
        String.format(
            "volume: %3d%%%s   repeat: %s   random: %s   single: %s   consume: %s",
            s.getVolume(),
            s.getMuted() ? " (muted)" : "",
            switch (s.getRepeat()) {
              case REPEAT_MODE_ALL -> "all";
              case REPEAT_MODE_ONE -> "one";
              default -> "off";
            },
            onOff(s.getShuffle()),
            onOff(s.getSingle()),
            onOff(s.getConsume())));
    if (s.hasError() && !s.getError().getCode().isEmpty()) {
      b.append("\nerror: ").append(s.getError().getMessage());
    }
    return b.toString();
  }

  private static String onOff(boolean b) {
    return b ? "on" : "off";
  }

  static String name(PlaybackState st) {
    return switch (st) {
      case PLAYBACK_STATE_PLAYING -> "playing";
      case PLAYBACK_STATE_PAUSED -> "paused";
      case PLAYBACK_STATE_LOADING -> "loading";
      case PLAYBACK_STATE_ERROR -> "error";
      default -> "stopped";
    };
  }

  /**
   * A time to the nearest second, as mpc shows it (MPD rounds the {@code time} and {@code Time}
   * values it sends, and so does Tonearm's MPD protocol): a 15.6 s track is 0:16 in both.
   */
  static String clock(long ms) {
    long s = (Math.max(0, ms) + 500) / 1000;
    return s >= 3600
        ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }
}
