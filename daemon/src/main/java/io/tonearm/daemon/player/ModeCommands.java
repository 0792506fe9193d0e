package io.tonearm.daemon.player;

import io.tonearm.daemon.audio.AudioEngine;
import io.tonearm.daemon.dsp.VolumeRamp;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.RepeatMode;

/**
 * The commands that set a value rather than move playback: volume, mute and the play modes. Each
 * returns the seq of its PlayerChanged, or -1 when the value was already set. Player thread only.
 */
final class ModeCommands {

  private final Playback playback;
  private final PlayQueue queue;
  private final AudioEngine engine;

  ModeCommands(Playback playback, PlayQueue queue, AudioEngine engine) {
    this.playback = playback;
    this.queue = queue;
    this.engine = engine;
  }

  long volume(int v, Origin origin) {
    if (v < 0 || v > 100) {
      throw DomainException.outOfRange("volume", v, "0 to 100");
    }
    if (v == playback.volume) {
      return -1;
    }
    playback.volume = v;
    engine.setGain(VolumeRamp.gainFor(playback.volume, playback.muted));
    return playback.publish(Cause.CAUSE_COMMAND, origin);
  }

  long mute(boolean on, Origin origin) {
    if (on == playback.muted) {
      return -1;
    }
    playback.muted = on;
    engine.setGain(VolumeRamp.gainFor(playback.volume, playback.muted));
    return playback.publish(Cause.CAUSE_COMMAND, origin);
  }

  long shuffle(boolean on, Origin origin) {
    if (on == queue.isShuffled()) {
      return -1;
    }
    queue.setShuffle(on, playback.current);
    playback.reprime();
    return playback.publish(Cause.CAUSE_COMMAND, origin);
  }

  long repeat(RepeatMode mode, Origin origin) {
    if (mode == RepeatMode.UNRECOGNIZED) {
      throw DomainException.badRequest("unknown repeat mode");
    }
    if (mode == playback.repeat) {
      return -1;
    }
    playback.repeat = mode;
    playback.reprime();
    return playback.publish(Cause.CAUSE_COMMAND, origin);
  }

  /** Single on, off, or on for the current item only ({@code oneshot}, with {@code on}). */
  long single(boolean on, boolean oneshot, Origin origin) {
    checkOneshot(on, oneshot);
    if (on == playback.single && oneshot == playback.singleOneshot) {
      return -1;
    }
    boolean reprime = on != playback.single;
    playback.single = on;
    playback.singleOneshot = oneshot;
    if (reprime) {
      playback.reprime();
    }
    return playback.publish(Cause.CAUSE_COMMAND, origin);
  }

  /** Consume on, off, or on for one item only ({@code oneshot}, with {@code on}). */
  long consume(boolean on, boolean oneshot, Origin origin) {
    checkOneshot(on, oneshot);
    if (on == playback.consume && oneshot == playback.consumeOneshot) {
      return -1;
    }
    playback.consume = on;
    playback.consumeOneshot = oneshot;
    return playback.publish(Cause.CAUSE_COMMAND, origin);
  }

  private static void checkOneshot(boolean on, boolean oneshot) {
    if (oneshot && !on) {
      throw DomainException.outOfRange("oneshot", true, "false when enabled is false");
    }
  }
}
