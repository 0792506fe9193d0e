package io.tonearm.daemon.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.rolling.RollingPolicy;
import ch.qos.logback.core.rolling.RolloverFailure;
import ch.qos.logback.core.rolling.TriggeringPolicy;
import ch.qos.logback.core.rolling.helper.CompressionMode;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Rolls {@code DIR/STEM.log} when a line's day (system zone) is after the file's, or before a line
 * once the file holds {@code maxBytes}; the file becomes {@code STEM.yyyy-MM-dd.i.log} (the day its
 * lines were written, {@code i} from 0 within the day), the names logback's size-and-time policy
 * gave. After a roll, archives of days more than {@code maxDays} before the new file's day are
 * deleted, then the oldest ones until the rest fit in {@code totalCap} bytes.
 *
 * <p>Logback's own size-and-time policy (its {@code RollingCalendar}, archive remover, {@code
 * java.text} date formats and helpers) loaded about 55 classes for the whole run; this one counts
 * days with {@code java.time} (issue 13, {@code bench/README.md}, "tenth session (mem6)": about 1
 * MB of idle RSS). The ~1,000 {@code Locale}s a first {@code GregorianCalendar} makes the JDK list
 * stay: sqlite-jdbc's connection config makes one anyway. Called by the appender under its lock.
 */
final class DailyRolling extends ContextAwareBase
    implements RollingPolicy, TriggeringPolicy<ILoggingEvent> {

  private final Path dir;
  private final String stem;
  private final long maxBytes;
  private final int maxDays;
  private final long totalCap;
  private final ZoneId zone = ZoneId.systemDefault();
  private final Pattern archive;
  private LocalDate day; // of the lines in the active file
  private long nextDayMillis; // the first instant after day
  private LocalDate nextDay; // of the line that asked for a roll at a day's change, else null
  private boolean started;

  DailyRolling(Path dir, String stem, long maxBytes, int maxDays, long totalCap) {
    this.dir = dir;
    this.stem = stem;
    this.maxBytes = maxBytes;
    this.maxDays = maxDays;
    this.totalCap = totalCap;
    this.archive =
        Pattern.compile(Pattern.quote(stem) + "\\.(\\d{4}-\\d\\d-\\d\\d)\\.(\\d+)\\.log");
  }

  @Override
  public void start() {
    File active = new File(getActiveFileName());
    long since = active.exists() ? active.lastModified() : System.currentTimeMillis();
    setDay(LocalDate.ofInstant(Instant.ofEpochMilli(since), zone));
    started = true;
  }

  @Override
  public void stop() {
    started = false;
  }

  @Override
  public boolean isStarted() {
    return started;
  }

  @Override
  public boolean isTriggeringEvent(File activeFile, ILoggingEvent event) {
    if (event.getTimeStamp() >= nextDayMillis) {
      nextDay = LocalDate.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone);
      return true;
    }
    return activeFile.length() >= maxBytes;
  }

  @Override
  public void rollover() throws RolloverFailure {
    Path active = Path.of(getActiveFileName());
    try {
      if (Files.exists(active)) {
        int i = 0;
        Path to;
        while (Files.exists(to = dir.resolve(stem + "." + day + "." + i + ".log"))) {
          i++;
        }
        Files.move(active, to);
      }
      if (nextDay != null) {
        setDay(nextDay);
        nextDay = null;
      }
      prune();
    } catch (IOException e) {
      throw new RolloverFailure("cannot roll " + active + ": " + e);
    }
  }

  /** Deletes the archives older than {@code maxDays} before the day, then beyond the cap. */
  private void prune() throws IOException {
    List<Archive> kept = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = archive.matcher(p.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        LocalDate d = LocalDate.parse(m.group(1));
        if (d.isBefore(day.minusDays(maxDays))) {
          Files.deleteIfExists(p);
        } else {
          kept.add(new Archive(d, Long.parseLong(m.group(2)), p));
        }
      }
    }
    kept.sort(Comparator.comparing(Archive::day).thenComparing(Archive::index).reversed());
    long total = 0;
    for (Archive a : kept) {
      total += Files.size(a.path());
      if (total > totalCap) {
        Files.deleteIfExists(a.path());
      }
    }
  }

  private record Archive(LocalDate day, long index, Path path) {}

  private void setDay(LocalDate d) {
    day = d;
    nextDayMillis = d.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
  }

  @Override
  public String getActiveFileName() {
    return dir.resolve(stem + ".log").toString();
  }

  @Override
  public CompressionMode getCompressionMode() {
    return CompressionMode.NONE;
  }

  @Override
  public void setParent(FileAppender<?> appender) {}
}
