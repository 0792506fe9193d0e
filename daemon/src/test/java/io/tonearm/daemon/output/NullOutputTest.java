package io.tonearm.daemon.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NullOutputTest {

  @Test
  void theClockNeverRunsAheadOfWhatWasWritten() {
    NullOutput out = new NullOutput();
    out.open(48_000, 2);
    float[] block = new float[2 * 480];
    for (int i = 0; i < 20; i++) {
      out.write(block, 0, 480);
      assertTrue(out.framesPlayed() <= out.framesWritten());
    }
    assertEquals(9600, out.framesWritten());
    out.drain();
    assertEquals(9600, out.framesPlayed());
  }

  @Test
  void pauseFreezesTheClockAndFlushDropsWhatIsUnplayed() {
    NullOutput out = new NullOutput();
    out.open(48_000, 1);
    out.write(new float[4800], 0, 4800); // returns with at most 50 ms ahead of the clock
    out.pause();
    long frozen = out.framesPlayed();
    out.write(new float[480], 0, 0);
    assertEquals(frozen, out.framesPlayed());
    out.flush();
    assertEquals(out.framesPlayed(), out.framesWritten());
    assertEquals(0, out.latencyMicros());
    out.resume();
    out.write(new float[480], 0, 480);
    assertEquals(frozen + 480, out.framesWritten());
  }
}
