package io.tonearm.daemon.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggingTest {
  @TempDir Path dir;

  @Test
  void stepsAsideForAnXmlFileOnTheClassPath() {
    // the tests' logback-test.xml is on this class path
    assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, new Logging().configure(new LoggerContext()));
  }

  @Test
  void writesInfoLinesWithTheDateToTheFileAndKeepsNettyAndJaudiotaggerAtWarn() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's binding gives the real one
    try {
      Logging.inCode(context, dir);
      context.getLogger("io.tonearm.daemon.Daemon").info("started {}", 1);
      context.getLogger("io.tonearm.daemon.Daemon").debug("not at debug");
      context.getLogger("org.jaudiotagger.tag.id3").info("odd tag");
      context.getLogger("org.jaudiotagger.tag.id3").warn("bad tag");
      context.getLogger("io.netty.channel.X").info("netty info");
    } finally {
      context.stop();
    }
    String log = Files.readString(dir.resolve("tonearm.log"));
    assertTrue(
        log.matches(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Daemon - started 1\n"
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  id3 - bad tag\n"),
        log);
    assertFalse(log.contains("netty info"));
    assertEquals(
        Level.WARNING,
        java.util.logging.Logger.getLogger("org.jaudiotagger").getLevel(),
        "java.util.logging gets the same levels");
  }
}
