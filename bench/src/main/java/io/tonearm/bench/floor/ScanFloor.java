package io.tonearm.bench.floor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The least a JVM does for a cold scan of FLAC files, to read {@code bench/scan-cold.sh}'s figures
 * for Tonearm and MPD against: in a JVM that has idled 5 s after start (as the script lets the
 * daemon idle), walk CORPUS, read each {@code .flac} file's metadata blocks from its first 64 KiB
 * by hand (STREAMINFO: rate, channels, length; VORBIS_COMMENT: the tags into a map per file) and
 * keep them in a list. No tag library, no database, no artwork, no events: what is left is the
 * JVM's own part (the walk's and the reads' system calls through the JDK, the code run cold by the
 * interpreter and C1). Prints the wall time, the process's CPU over the scan (every thread,
 * compilers included), the files read and the peak resident set.
 *
 * <pre>
 * java [README options] -cp bench/target/tonearm-bench.jar io.tonearm.bench.floor.ScanFloor CORPUS
 * </pre>
 */
public final class ScanFloor {

  private ScanFloor() {}

  /** One file's figures, kept so that the scan's work is not dead code. */
  record Track(Path path, int rate, int channels, long samples, Map<String, String> tags) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ScanFloor CORPUS");
      System.exit(2);
    }
    Path corpus = Path.of(args[0]);
    Thread.sleep(5_000);
    long cpu0 = processCpuTicks();
    long t0 = System.nanoTime();
    List<Track> tracks = new ArrayList<>();
    try (Stream<Path> files =
        Files.find(
            corpus,
            Integer.MAX_VALUE,
            (p, a) ->
                a.isRegularFile()
                    && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".flac"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Track t = read(p);
        if (t != null) {
          tracks.add(t);
        }
      }
    }
    long t1 = System.nanoTime();
    long cpu1 = processCpuTicks();
    long tags = tracks.stream().mapToLong(t -> t.tags().size()).sum();
    System.out.printf(
        Locale.ROOT,
        "files %d tags %d wall_s %.3f cpu_s %.2f vmhwm_kb %s%n",
        tracks.size(),
        tags,
        (t1 - t0) / 1e9,
        (cpu1 - cpu0) / 100.0,
        status("VmHWM"));
  }

  /**
   * STREAMINFO and VORBIS_COMMENT of a FLAC file (RFC 9639 section 8), or null if it is not one.
   */
  static Track read(Path p) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1 << 16);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      while (b.hasRemaining() && ch.read(b) > 0) {
        // fill what the file has of the buffer
      }
    }
    b.flip();
    if (b.remaining() < 42 || b.getInt(0) != 0x664C6143) { // "fLaC"
      return null;
    }
    int pos = 4;
    int rate = 0;
    int channels = 0;
    long samples = 0;
    Map<String, String> tags = new HashMap<>();
    boolean last = false;
    while (!last && pos + 4 <= b.limit()) {
      int header = b.getInt(pos);
      last = (header & 0x80000000) != 0;
      int type = (header >>> 24) & 0x7F;
      int length = header & 0xFFFFFF;
      int body = pos + 4;
      if (body + length > b.limit()) {
        break;
      }
      if (type == 0) {
        long packed = b.getLong(body + 10);
        rate = (int) (packed >>> 44);
        channels = (int) ((packed >>> 41) & 7) + 1;
        samples = packed & 0xFFFFFFFFFL;
      } else if (type == 4) {
        comments(b.duplicate().order(ByteOrder.LITTLE_ENDIAN), body, body + length, tags);
      }
      pos = body + length;
    }
    return new Track(p, rate, channels, samples, tags);
  }

  private static void comments(ByteBuffer le, int from, int to, Map<String, String> tags) {
    int pos = from;
    int vendor = le.getInt(pos);
    pos += 4 + vendor;
    if (pos + 4 > to) {
      return;
    }
    int count = le.getInt(pos);
    pos += 4;
    for (int i = 0; i < count && pos + 4 <= to; i++) {
      int len = le.getInt(pos);
      pos += 4;
      if (len < 0 || pos + len > to) {
        return;
      }
      String c = new String(le.array(), pos, len, StandardCharsets.UTF_8);
      int eq = c.indexOf('=');
      if (eq > 0) {
        tags.put(c.substring(0, eq).toUpperCase(Locale.ROOT), c.substring(eq + 1));
      }
      pos += len;
    }
  }

  private static long processCpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
  }

  private static String status(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key + ":")) {
        return line.substring(key.length() + 1).trim().split(" ")[0];
      }
    }
    return "n/a";
  }
}
