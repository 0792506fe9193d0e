package io.tonearm.daemon.ops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void jvmMetricsAreRegisteredAtTheFirstScrapeAndOnlyOnce() {
    Metrics m = new Metrics();
    m.connectionOpened();
    assertFalse(m.jvmMetricsRegistered(), "nothing of the JVM's is registered before a scrape");

    String first = new String(m.scrape(), UTF_8);
    assertTrue(m.jvmMetricsRegistered());
    assertTrue(first.contains("tonearm_ws_connections_total 1.0"), first);
    assertTrue(first.contains("jvm_memory_used_bytes"), first);
    assertTrue(first.contains("jvm_threads_current"), first);
    assertTrue(first.contains("process_cpu_seconds_total"), first);

    // A second registration of the same names would throw; the second scrape has them once.
    String second = new String(m.scrape(), UTF_8);
    assertTrue(second.contains("jvm_memory_used_bytes"), second);
    assertTrue(
        second.indexOf("# TYPE jvm_threads_current")
            == second.lastIndexOf("# TYPE jvm_threads_current"),
        second);
  }
}
