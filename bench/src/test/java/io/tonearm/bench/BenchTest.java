package io.tonearm.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchTest {

  @Test
  void aPrintingMainGetsItsFlagsWithoutTheReportDirectory() {
    Bench.Split s =
        Bench.Split.of(new String[] {"decode", "20", "--report", "/r", "--formats", "flac"});
    assertArrayEquals(new String[] {"20", "--formats", "flac"}, s.rest());
    assertEquals(Path.of("/r"), s.reportDir());
    Bench.Split t = Bench.Split.of(new String[] {"analysis", "-f", "1", "--report-dir=/q"});
    assertArrayEquals(new String[] {"-f", "1"}, t.rest());
    assertEquals(Path.of("/q"), t.reportDir());
    assertEquals(Args.DEFAULT_REPORT_DIR, Bench.Split.of(new String[] {"search"}).reportDir());
    assertThrows(
        IllegalArgumentException.class, () -> Bench.Split.of(new String[] {"decode", "--report"}));
  }
}
