package io.tonearm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The relay scenario's CPU flags are refused before anything starts (no Redis, no daemon). */
class RelayScenarioTest {

  private static void run(String... words) throws Exception {
    RelayScenario.run(new Args(words, 1));
  }

  @Test
  void theCpuListsGoTogether() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run("relay", "--relay-cpus", "0"));
    assertEquals("--relay-cpus and --other-cpus go together", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> run("relay", "--other-cpus", "1"));
  }

  @Test
  void aCpuListTasksetRefusesFailsTheRunWithItsMessage() {
    // Not a CPU list: taskset leaves this JVM's CPUs as they are and says why.
    IOException e =
        assertThrows(
            IOException.class, () -> run("relay", "--relay-cpus", "0", "--other-cpus", "x"));
    assertTrue(e.getMessage().startsWith("taskset -a -p -c x "), e.getMessage());
    assertTrue(e.getMessage().contains("failed"), e.getMessage());
  }
}
