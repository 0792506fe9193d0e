package io.tonearm.bench.mpd;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Time of one {@code listallinfo} over MPD's protocol, from writing the command to reading its
 * {@code OK}, on one kept connection: {@code RUNS} timed runs after {@code WARMUP} untimed ones.
 * Prints each run (ms, songs, bytes) and the median. Works against any server speaking MPD's
 * protocol (Tonearm's MPD port, MPD).
 *
 * <pre>
 * java -cp bench/target/tonearm-bench.jar io.tonearm.bench.mpd.ListAllInfoBench PORT [RUNS=5] [WARMUP=2]
 * </pre>
 */
public final class ListAllInfoBench {
  private ListAllInfoBench() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
      OutputStream out = s.getOutputStream();
      String greeting = line(in);
      if (!greeting.startsWith("OK MPD")) {
        throw new IOException("not MPD: " + greeting);
      }
      List<Double> ms = new ArrayList<>();
      for (int i = 0; i < warmup + runs; i++) {
        long t0 = System.nanoTime();
        out.write("listallinfo\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long bytes = 0;
        int songs = 0;
        while (true) {
          String l = line(in);
          bytes += l.length() + 1;
          if (l.equals("OK")) {
            break;
          }
          if (l.startsWith("ACK")) {
            throw new IOException(l);
          }
          if (l.startsWith("file: ")) {
            songs++;
          }
        }
        double took = (System.nanoTime() - t0) / 1e6;
        if (i >= warmup) {
          ms.add(took);
          System.out.printf(
              "run %d: %.1f ms, %d songs, %d bytes%n", i - warmup + 1, took, songs, bytes);
        }
      }
      Collections.sort(ms);
      System.out.printf("median %.1f ms (%s, %d runs)%n", ms.get(ms.size() / 2), greeting, runs);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c == '\n') {
        return sb.toString();
      }
      sb.append((char) c);
    }
  }
}
