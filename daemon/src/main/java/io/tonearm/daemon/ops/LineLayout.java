package io.tonearm.daemon.ops;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * One log line, as logback's {@code PatternLayout} writes {@code %d{HH:mm:ss.SSS} %-5level
 * %logger{0} - %msg%n} (with {@code yyyy-MM-dd } before the time when {@code withDate}), followed
 * by the stack trace of the event's exception as logback prints it. Written by hand because a
 * {@code PatternLayout} loads its whole converter table, about 150 classes (68 of them lambdas)
 * that stayed loaded for the whole run (issue 13, {@code bench/README.md}, "twelfth session
 * (rss8)"). Times are in the system zone. Called by the appender under its lock.
 */
final class LineLayout extends LayoutBase<ILoggingEvent> {

  private final boolean withDate;
  private final ZoneId zone = ZoneId.systemDefault();

  /** Logback's own, the one {@code PatternLayout} adds when a pattern names no exception. */
  private final ExtendedThrowableProxyConverter stackTrace = new ExtendedThrowableProxyConverter();

  LineLayout(boolean withDate) {
    this.withDate = withDate;
  }

  @Override
  public void start() {
    stackTrace.setContext(getContext());
    stackTrace.start();
    super.start();
  }

  @Override
  public void stop() {
    stackTrace.stop();
    super.stop();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    LocalDateTime t =
        LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(event.getTimeStamp()), zone);
    if (withDate) {
      digits(line, t.getYear(), 4).append('-');
      digits(line, t.getMonthValue(), 2).append('-');
      digits(line, t.getDayOfMonth(), 2).append(' ');
    }
    digits(line, t.getHour(), 2).append(':');
    digits(line, t.getMinute(), 2).append(':');
    digits(line, t.getSecond(), 2).append('.');
    digits(line, t.getNano() / 1_000_000, 3).append(' ');
    String level = event.getLevel().toString();
    line.append(level);
    for (int i = level.length(); i < 5; i++) {
      line.append(' ');
    }
    String logger = event.getLoggerName();
    line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
    line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    if (event.getThrowableProxy() != null) {
      line.append(stackTrace.convert(event));
    }
    return line.toString();
  }

  /** Appends {@code v} with leading zeros to {@code width} digits (v is not negative). */
  private static StringBuilder digits(StringBuilder b, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(s);
  }
}
