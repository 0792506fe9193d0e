package io.tonearm.daemon.transport;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many file descriptors the process has left. Counting open descriptors lists {@code
 * /proc/self/fd}, too slow to do per connection under a flood, so the count of descriptors that are
 * not connections (and the limit) is sampled at most once a second and the connections are counted
 * exactly. Thread-safe (a racing refresh only repeats the sample). Unknown on systems with neither
 * {@code /proc} nor the Unix bean: then there is always room.
 *
 * <p>Where {@code /proc/self} exists (Linux) it is read directly, as the JDK's Unix bean does
 * there: the bean is the platform's management layer, whose first use loaded about 230 classes
 * (cgroup metrics, MBean providers) that stayed for the whole run (issue 13, {@code
 * bench/README.md}, "twelfth session (rss8)"). Elsewhere the bean answers.
 */
final class FileDescriptors {

  private static final long SAMPLE_NANOS = 1_000_000_000L;

  private final Path proc;
  private final UnixOperatingSystemMXBean os;
  private volatile long others; // descriptors that are not connections, at the last sample
  private volatile long max; // the limit at the last sample
  private volatile long sampledAt;
  private volatile boolean sampled;

  FileDescriptors() {
    this(Path.of("/proc/self"));
  }

  /** Reads {@code proc} ({@code fd/} and {@code limits}) when it is there, else the Unix bean. */
  FileDescriptors(Path proc) {
    if (Files.isDirectory(proc.resolve("fd")) && Files.isReadable(proc.resolve("limits"))) {
      this.proc = proc;
      this.os = null;
    } else {
      OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
      this.proc = null;
      this.os = bean instanceof UnixOperatingSystemMXBean u ? u : null;
    }
  }

  /** Descriptors still free with {@code connections} connections open; MAX_VALUE when unknown. */
  long free(int connections) {
    if (proc == null && os == null) {
      return Long.MAX_VALUE;
    }
    long now = System.nanoTime();
    if (!sampled || now - sampledAt > SAMPLE_NANOS) {
      others = Math.max(0, open() - connections);
      max = limit();
      sampledAt = now;
      sampled = true;
    }
    return max - others - connections;
  }

  /** The process's descriptor limit (the soft one), or -1 when unknown. */
  long limit() {
    if (proc == null) {
      return os == null ? -1 : os.getMaxFileDescriptorCount();
    }
    try {
      for (String line : Files.readAllLines(proc.resolve("limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Open descriptors, less the one the count itself opens (as the bean counts them). */
  private long open() {
    if (proc == null) {
      return os.getOpenFileDescriptorCount();
    }
    String[] fds = proc.resolve("fd").toFile().list();
    return fds == null ? 0 : Math.max(0, fds.length - 1);
  }
}
