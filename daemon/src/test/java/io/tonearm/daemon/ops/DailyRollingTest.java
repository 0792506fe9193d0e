package io.tonearm.daemon.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DailyRollingTest {
  @TempDir Path dir;

  private final LoggerContext context = new LoggerContext();
  private final ZoneId zone = ZoneId.systemDefault();
  private RollingFileAppender<ILoggingEvent> appender;

  private void start(long maxBytes, int maxDays, long totalCap) {
    context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's binding gives the real one
    appender = new RollingFileAppender<>();
    appender.setContext(context);
    appender.setFile(dir.resolve("tonearm.log").toString());
    DailyRolling rolling = new DailyRolling(dir, "tonearm", maxBytes, maxDays, totalCap);
    rolling.setContext(context);
    rolling.start();
    appender.setRollingPolicy(rolling);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    appender.setEncoder(encoder);
    appender.start();
    assertTrue(appender.isStarted());
  }

  @AfterEach
  void stop() {
    if (appender != null) {
      appender.stop();
    }
    context.stop();
  }

  private void log(String message, LocalDate day, int hour) {
    LoggingEvent e =
        new LoggingEvent(
            "x", context.getLogger("io.tonearm.daemon.Daemon"), Level.INFO, message, null, null);
    e.setTimeStamp(day.atStartOfDay(zone).plusHours(hour).toInstant().toEpochMilli());
    appender.doAppend(e);
  }

  private String read(String name) throws Exception {
    return Files.readString(dir.resolve(name));
  }

  @Test
  void aLineOfALaterDayRollsTheFileUnderTheDayItsLinesWereWritten() throws Exception {
    LocalDate today = LocalDate.now(zone);
    start(10_000_000, 14, 200_000_000);
    log("a", today, 23);
    log("b", today, 23);
    log("c", today.plusDays(1), 0);
    log("d", today.plusDays(3), 12);
    assertEquals("a\nb\n", read("tonearm." + today + ".0.log"));
    assertEquals("c\n", read("tonearm." + today.plusDays(1) + ".0.log"));
    assertEquals("d\n", read("tonearm.log"));
  }

  @Test
  void aFullFileRollsWithinItsDayUnderTheNextIndex() throws Exception {
    LocalDate today = LocalDate.now(zone);
    start(10, 14, 200_000_000);
    log("0123456789", today, 1); // 11 bytes: full
    log("abcdefghij", today, 2);
    log("short", today, 3);
    log("s", today, 4); // not full yet (6 bytes)
    assertEquals("0123456789\n", read("tonearm." + today + ".0.log"));
    assertEquals("abcdefghij\n", read("tonearm." + today + ".1.log"));
    assertEquals("short\ns\n", read("tonearm.log"));
  }

  @Test
  void archivesOlderThanTheDaysKeptOrBeyondTheCapAreDeletedOldestFirst() throws Exception {
    LocalDate today = LocalDate.now(zone);
    LocalDate next = today.plusDays(1); // the day of the file after the roll
    Files.writeString(dir.resolve("tonearm." + next.minusDays(15) + ".0.log"), "too old\n");
    Files.writeString(dir.resolve("tonearm." + next.minusDays(14) + ".3.log"), "kept\n");
    Files.writeString(dir.resolve("other." + next.minusDays(30) + ".0.log"), "not ours\n");
    start(10_000_000, 14, 200_000_000);
    log("a", today, 12);
    log("b", next, 12);
    assertFalse(Files.exists(dir.resolve("tonearm." + next.minusDays(15) + ".0.log")));
    assertEquals("kept\n", read("tonearm." + next.minusDays(14) + ".3.log"));
    assertEquals("not ours\n", read("other." + next.minusDays(30) + ".0.log"));
    assertEquals("a\n", read("tonearm." + today + ".0.log"));

    appender.stop();
    String forty = "x".repeat(39) + "\n";
    for (int d = 1; d <= 3; d++) {
      Files.writeString(dir.resolve("tonearm." + today.minusDays(d) + ".0.log"), forty);
    }
    Files.writeString(dir.resolve("tonearm." + today.minusDays(1) + ".1.log"), forty);
    start(10_000_000, 14, 100);
    // The file left from before is of the day it was last written (today, as with logback's
    // policy); rolled at "c", after it: 2 + 2 + 40 + 40 bytes fit in 100, the next 40 do not.
    log("c", next.plusDays(1), 12);
    assertEquals("b\n", read("tonearm." + today + ".1.log"));
    assertEquals("a\n", read("tonearm." + today + ".0.log"));
    assertEquals(forty, read("tonearm." + today.minusDays(1) + ".1.log"));
    assertEquals(forty, read("tonearm." + today.minusDays(1) + ".0.log"));
    assertFalse(Files.exists(dir.resolve("tonearm." + today.minusDays(2) + ".0.log")));
    assertFalse(Files.exists(dir.resolve("tonearm." + today.minusDays(3) + ".0.log")));
    assertFalse(Files.exists(dir.resolve("tonearm." + next.minusDays(14) + ".3.log")));
  }
}
