package io.tonearm.daemon.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDescriptorsTest {
  @TempDir Path dir;

  private Path proc(int fds, String limitsLine) throws Exception {
    Files.createDirectories(dir.resolve("fd"));
    for (int i = 0; i < fds; i++) {
      Files.createFile(dir.resolve("fd").resolve(Integer.toString(i)));
    }
    Files.writeString(
        dir.resolve("limits"),
        "Limit                     Soft Limit           Hard Limit           Units     \n"
            + "Max processes             63494                63494                processes \n"
            + limitsLine
            + "\nMax locked memory         8388608              8388608              bytes     \n");
    return dir;
  }

  @Test
  void readsTheSoftLimitAndTheOpenCountLessTheListingsOwn() throws Exception {
    FileDescriptors f =
        new FileDescriptors(
            proc(5, "Max open files            1024                 4096                 files"));
    assertEquals(1024, f.limit());
    // 5 entries, one of them the listing's own descriptor: 4 open, 2 of them connections
    assertEquals(1024 - 4, f.free(2));
  }

  @Test
  void anUnlimitedSoftLimitLeavesRoom() throws Exception {
    FileDescriptors f =
        new FileDescriptors(
            proc(3, "Max open files            unlimited            unlimited            files"));
    assertEquals(Long.MAX_VALUE, f.limit());
  }

  @Test
  void onThisMachineItCountsWhatTheJdksBeanCounts() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")));
    assumeTrue(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean);
    UnixOperatingSystemMXBean bean =
        (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    FileDescriptors f = new FileDescriptors();
    assertEquals(bean.getMaxFileDescriptorCount(), f.limit());
    long before = bean.getOpenFileDescriptorCount();
    long open = f.limit() - f.free(0);
    long after = bean.getOpenFileDescriptorCount();
    assertTrue(
        open >= Math.min(before, after) && open <= Math.max(before, after),
        before + " <= " + open + " <= " + after);
  }

  @Test
  void withoutProcTheBeanAnswers() {
    FileDescriptors f = new FileDescriptors(dir.resolve("no-proc"));
    long expected =
        ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean u
            ? u.getMaxFileDescriptorCount()
            : -1;
    assertEquals(expected, f.limit());
  }
}
