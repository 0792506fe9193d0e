package io.tonearm.daemon.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every log line (root logger at INFO while open), as formatted text with its stack trace, for
 * tests that check what the daemon logs.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Level before;

  public LogCapture() {
    before = root.getLevel();
    setContext(root.getLoggerContext());
    start();
    root.addAppender(this);
    root.setLevel(Level.INFO);
  }

  @Override
  protected void append(ILoggingEvent e) {
    String line = e.getLoggerName() + " " + e.getFormattedMessage();
    if (e.getThrowableProxy() != null) {
      line += "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
    }
    lines.add(line);
  }

  /** The lines so far. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines of logger {@code name} so far. */
  public List<String> linesOf(String name) {
    return lines.stream().filter(l -> l.startsWith(name + " ")).toList();
  }

  @Override
  public void close() {
    root.detachAppender(this);
    root.setLevel(before);
    stop();
  }
}
