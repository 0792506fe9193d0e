package io.tonearm.daemon.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.RepeatMode;
import org.junit.jupiter.api.Test;

/** {@code status}'s {@code nextsong} and number forms, as MPD 0.23 gives them. */
class StatusVerbsTest {

  private static PlayerState at(int index, int length, RepeatMode repeat) {
    return PlayerState.newBuilder()
        .setQueueIndex(index)
        .setQueueLength(length)
        .setRepeat(repeat)
        .build();
  }

  @Test
  void nextSongFollowsMpdsQueueOrderRules() {
    assertEquals(2, StatusVerbs.nextSong(at(1, 3, RepeatMode.REPEAT_MODE_NONE)));
    assertEquals(-1, StatusVerbs.nextSong(at(2, 3, RepeatMode.REPEAT_MODE_NONE)), "the end");
    assertEquals(0, StatusVerbs.nextSong(at(2, 3, RepeatMode.REPEAT_MODE_ALL)), "wraps");
    assertEquals(1, StatusVerbs.nextSong(at(1, 3, RepeatMode.REPEAT_MODE_ONE)), "repeat one");
    PlayerState singleRepeat =
        at(1, 3, RepeatMode.REPEAT_MODE_ALL).toBuilder().setSingle(true).build();
    assertEquals(1, StatusVerbs.nextSong(singleRepeat), "single and repeat: the same song");
    PlayerState consumed = singleRepeat.toBuilder().setConsume(true).build();
    assertEquals(2, StatusVerbs.nextSong(consumed), "consume: not the same song");
    PlayerState lastConsumed =
        at(0, 1, RepeatMode.REPEAT_MODE_ALL).toBuilder().setConsume(true).build();
    assertEquals(-1, StatusVerbs.nextSong(lastConsumed), "consumed away: nothing to wrap to");
    PlayerState singleOnly =
        at(1, 3, RepeatMode.REPEAT_MODE_NONE).toBuilder().setSingle(true).build();
    assertEquals(2, StatusVerbs.nextSong(singleOnly), "single without repeat names the next");
  }

  @Test
  void floatsInTheShortestForm() {
    assertEquals("0", StatusVerbs.shortest(0));
    assertEquals("-17", StatusVerbs.shortest(-17));
    assertEquals("-17.5", StatusVerbs.shortest(-17.5));
    assertEquals("2.25", StatusVerbs.shortest(2.25));
  }
}
