package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MixRampTest {

  /** A synthetic ramp: the level rises 10 dB at each listed time. */
  static final String RAMP =
      "-60.00 0.10;-40.00 0.50;-30.00 0.80;-20.00 1.20;-10.00 2.00;0.00 3.10;";

  @Test
  void aLevelsTimeIsThatOfTheFirstPairAtOrAboveIt() {
    assertEquals(0.10, MixRamp.seconds(RAMP, -70), 0);
    assertEquals(0.50, MixRamp.seconds(RAMP, -40), 0);
    assertEquals(1.20, MixRamp.seconds(RAMP, -25), 0);
    assertEquals(2.00, MixRamp.seconds(RAMP, -17), 0);
    assertEquals(3.10, MixRamp.seconds(RAMP, -0.5), 0);
  }

  @Test
  void aLevelAboveEveryPairOrABadTagSaysNothing() {
    assertEquals(-1, MixRamp.seconds(RAMP, 1), 0);
    assertEquals(-1, MixRamp.seconds("", -17), 0);
    assertEquals(-1, MixRamp.seconds("loud", -17), 0);
    assertEquals(-1, MixRamp.seconds("-20 x;-10 2", -17), 0);
    assertEquals(-1, MixRamp.seconds("-20 1;;-10 2", -17), 0);
  }
}
