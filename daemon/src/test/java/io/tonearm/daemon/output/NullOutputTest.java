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
    out.write(new float[4800], 0, 4800); // returns with at most BUFFER_MILLIS ahead of the clock
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

  @Test
  void writersWaitUntilHalfTheBufferHasPlayed() {
    NullOutput out = new NullOutput();
    out.open(48_000, 1);
    int buffer = 48_000 * NullOutput.BUFFER_MILLIS / 1000;
    assertEquals(0, out.nanosUntilWritable(960));
    out.write(new float[buffer], 0, buffer);
    out.pause(); // freezes the clock, so the expected wait is exact
    long queued = out.framesWritten() - out.framesPlayed();
    long expected = Math.max(1_000_000L, (queued - buffer / 2) * 1_000_000_000L / 48_000);
    assertEquals(queued + 960 <= buffer ? 0 : expected, out.nanosUntilWritable(960));
    out.flush();
    assertEquals(0, out.nanosUntilWritable(960));
  }
}
