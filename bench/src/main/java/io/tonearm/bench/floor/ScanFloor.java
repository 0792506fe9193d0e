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
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    try (Stream<Path> files =
        Files.find(
            corpus,
            Integer.MAX_VALUE,
            (p, a) ->
                a.isRegularFile()
                    && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".flac"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Track t = read(p, buf);
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
   * {@code buf} is the caller's, reused from file to file: the first read takes what a small file's
   * metadata needs ({@link #FIRST_READ}); a block header or a wanted block beyond it is read where
   * it lies, and blocks not wanted (pictures, padding, seek tables) are stepped over unread. A
   * wanted block longer than {@code buf} ends the read with what was found.
   */
  static Track read(Path p, ByteBuffer buf) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long at = 0; // the file offset of buf's index 0
      fill(ch, buf, at, FIRST_READ);
      if (buf.position() < 42 || buf.getInt(0) != 0x664C6143) { // "fLaC"
        return null;
      }
      int pos = 4;
      int rate = 0;
      int channels = 0;
      long samples = 0;
      Map<String, String> tags = new HashMap<>();
      boolean last = false;
      while (!last) {
        if (pos + 4 > buf.position()) {
          at += pos;
          pos = 0;
          if (fill(ch, buf, at, FIRST_READ) < 4) {
            break;
          }
        }
        int header = buf.getInt(pos);
        last = (header & 0x80000000) != 0;
        int type = (header >>> 24) & 0x7F;
        int length = header & 0xFFFFFF;
        boolean wanted = type == 0 || type == 4;
        if (wanted && pos + 4 + length > buf.position()) {
          at += pos;
          pos = 0;
          if (4 + length > buf.capacity() || fill(ch, buf, at, 4 + length) < 4 + length) {
            break;
          }
        }
        int body = pos + 4;
        if (type == 0 && length >= 18) {
          long packed = buf.getLong(body + 10);
          rate = (int) (packed >>> 44);
          channels = (int) ((packed >>> 41) & 7) + 1;
          samples = packed & 0xFFFFFFFFFL;
        } else if (type == 4) {
          comments(buf.duplicate().order(ByteOrder.LITTLE_ENDIAN), body, body + length, tags);
        }
        pos = body + length;
      }
      return new Track(p, rate, channels, samples, tags);
    }
  }

  /** The first read of a file and of a block header read where it lies, in bytes. */
  static final int FIRST_READ = 16 * 1024;

  /**
   * Reads up to {@code want} bytes (at most {@code buf}'s capacity) from file offset {@code at}
   * into {@code buf} from index 0; returns how many the file had.
   */
  private static int fill(FileChannel ch, ByteBuffer buf, long at, int want) throws IOException {
    buf.clear().limit(Math.min(want, buf.capacity()));
    while (buf.hasRemaining() && ch.read(buf, at + buf.position()) > 0) {
      // until the limit or the file's end
    }
    return buf.position();
  }

  private static void comments(ByteBuffer le, int from, int to, Map<String, String> tags) {
    int pos = from;
    if (pos + 4 > to) {
      return;
    }
    int vendor = le.getInt(pos);
    if (vendor < 0 || vendor > to - pos - 8) {
      return; // a vendor string longer than its block: no comments read
    }
    pos += 4 + vendor;
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
