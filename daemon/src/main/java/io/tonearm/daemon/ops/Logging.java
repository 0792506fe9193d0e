package io.tonearm.daemon.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;

/**
 * The daemon's logging, set up in code: logback finds this class through {@code META-INF/services}
 * before it looks for an XML file. Reading {@code logback.xml} made logback load its XML
 * configurator and the JDK's XML parser, about 700 classes (3-4 MB of metaspace) that stayed loaded
 * for the whole run (issue 13, {@code bench/README.md}).
 *
 * <p>What it sets: one line per event on the console ({@code HH:mm:ss.SSS LEVEL Logger - message},
 * {@link LineLayout}) and the same lines with the date in {@code tonearm.log.dir/tonearm.log} (Main
 * sets the property to {@code DATA_DIR/logs} before the first line; else {@code
 * java.io.tmpdir/tonearm-logs}), rolled daily and at {@value #MAX_FILE}, {@value #MAX_DAYS} days
 * kept, at most {@value #TOTAL_CAP} in all ({@link DailyRolling}, not logback's calendar-based
 * policy). Root at INFO; Netty and jaudiotagger (which reports every odd tag at INFO) at WARN.
 * java.util.logging, which reaches SLF4J through jul-to-slf4j, gets the same levels, so records
 * below them are not even made.
 *
 * <p>An XML file still wins when one is asked for: with {@code -Dlogback.configurationFile=FILE},
 * or with a {@code logback-test.xml} on the class path (the tests'), this steps aside and logback
 * reads the file as before. Called once, by logback, on the thread that logs first.
 */
public final class Logging extends ContextAwareBase implements Configurator {

  static final String MAX_FILE = "10MB";
  static final int MAX_DAYS = 14;
  static final String TOTAL_CAP = "200MB";

  /** Needed by {@link java.util.ServiceLoader}. */
  public Logging() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || Logging.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    String dir =
        System.getProperty(
            "tonearm.log.dir",
            Path.of(System.getProperty("java.io.tmpdir"), "tonearm-logs").toString());
    inCode(context, Path.of(dir));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sets {@code context} up as the class comment says, the log files in {@code dir}. */
  static void inCode(LoggerContext context, Path dir) {
    LevelChangePropagator jul = new LevelChangePropagator();
    jul.setContext(context);
    jul.setResetJUL(true);
    context.addListener(jul);
    jul.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("org.jaudiotagger").setLevel(Level.WARN);

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("out");
    console.setEncoder(encoder(context, false));
    console.start();
    root.addAppender(console);

    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setName("file");
    file.setFile(dir.resolve("tonearm.log").toString());
    DailyRolling rolling =
        new DailyRolling(
            dir,
            "tonearm",
            FileSize.valueOf(MAX_FILE).getSize(),
            MAX_DAYS,
            FileSize.valueOf(TOTAL_CAP).getSize());
    rolling.setContext(context);
    rolling.start();
    file.setRollingPolicy(rolling); // and its triggering policy
    file.setEncoder(encoder(context, true));
    file.start();
    root.addAppender(file);
  }

  /** Lines as {@link LineLayout} writes them, with the date for the file. */
  private static LayoutWrappingEncoder<ILoggingEvent> encoder(
      LoggerContext context, boolean withDate) {
    LineLayout layout = new LineLayout(withDate);
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }
}
