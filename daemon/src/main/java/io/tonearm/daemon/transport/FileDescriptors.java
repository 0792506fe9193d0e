package io.tonearm.daemon.transport;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many file descriptors the process has left. Counting open descriptors lists {@code
 * /proc/self/fd}, too slow to do per connection under a flood, so the count of descriptors that are
 * not connections is sampled at most once a second and the connections are counted exactly.
 * Thread-safe (a racing refresh only repeats the sample). Unknown on systems without the Unix bean:
 * then there is always room.
 */
final class FileDescriptors {

  private static final long SAMPLE_NANOS = 1_000_000_000L;

  private final UnixOperatingSystemMXBean os;
  private volatile long others; // descriptors that are not connections, at the last sample
  private volatile long sampledAt;
  private volatile boolean sampled;

  FileDescriptors() {
    OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    this.os = bean instanceof UnixOperatingSystemMXBean u ? u : null;
  }

  /** Descriptors still free with {@code connections} connections open; MAX_VALUE when unknown. */
  long free(int connections) {
    if (os == null) {
      return Long.MAX_VALUE;
    }
    long now = System.nanoTime();
    if (!sampled || now - sampledAt > SAMPLE_NANOS) {
      others = Math.max(0, os.getOpenFileDescriptorCount() - connections);
      sampledAt = now;
      sampled = true;
    }
    return os.getMaxFileDescriptorCount() - others - connections;
  }

  /** The process's descriptor limit, or -1 when unknown. */
  long limit() {
    return os == null ? -1 : os.getMaxFileDescriptorCount();
  }
}
