package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StoredTrackTest {
  @Test
  void zeroPaddedIsTheFormattersForm() {
    int[] values = {
      0,
      1,
      9,
      10,
      99,
      100,
      999,
      1000,
      9999,
      10_000,
      99_999,
      100_000,
      999_999,
      1_000_000,
      Integer.MAX_VALUE,
      -1,
      -12,
      -999,
      -1000,
      -99_999,
      Integer.MIN_VALUE
    };
    for (int width : new int[] {4, 6}) {
      for (int v : values) {
        assertEquals(
            String.format("%0" + width + "d", v),
            StoredTrack.zeroPadded(v, width),
            v + "/" + width);
      }
    }
  }
}
