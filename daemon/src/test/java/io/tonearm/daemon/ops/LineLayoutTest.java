package io.tonearm.daemon.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineLayoutTest {

  private final LoggerContext context = new LoggerContext();

  private PatternLayout pattern(String p) {
    PatternLayout l = new PatternLayout();
    l.setContext(context);
    l.setPattern(p);
    l.start();
    return l;
  }

  private LineLayout line(boolean withDate) {
    LineLayout l = new LineLayout(withDate);
    l.setContext(context);
    l.start();
    return l;
  }

  private LoggingEvent event(String logger, Level level, String msg, Throwable t, long millis) {
    Logger l = context.getLogger(logger);
    LoggingEvent e = new LoggingEvent(Logger.class.getName(), l, level, msg, t, new Object[] {7});
    e.setTimeStamp(millis);
    return e;
  }

  @Test
  void writesWhatLogbacksPatternWroteForEveryLevelNameAndException() {
    PatternLayout console = pattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    PatternLayout file = pattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    LineLayout lineConsole = line(false);
    LineLayout lineFile = line(true);
    IllegalStateException withCause =
        new IllegalStateException("outer", new UncheckedIOException(new IOException("disk")));
    withCause.addSuppressed(new RuntimeException("suppressed"));
    List<Throwable> throwables = java.util.Arrays.asList(null, withCause, new Error((String) null));
    List<String> loggers = List.of("io.tonearm.daemon.Daemon", "audit", "a.b.", "ROOT");
    // times across days, before 1970, with one- and three-digit milliseconds
    long[] times = {
      0, 1, 999, 86_399_999, 1_796_000_000_123L, -1_000_000_007L, 253_402_300_799_999L
    };
    int checked = 0;
    for (Level level : List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR)) {
      for (String logger : loggers) {
        for (Throwable t : throwables) {
          for (long time : times) {
            LoggingEvent e = event(logger, level, "started {} of {}", t, time);
            assertEquals(console.doLayout(e), lineConsole.doLayout(e));
            assertEquals(file.doLayout(e), lineFile.doLayout(e));
            checked++;
          }
        }
      }
    }
    assertEquals(5 * 4 * 3 * 7, checked);
  }
}
