package io.tonearm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The relay scenario's listeners in a process of their own, {@code bench/relay-listeners.c} (bare C
 * clients, one thread, one epoll set), so that the figure is not the Java clients' reading cost on
 * the relays' cores (issue 17: "report raw-client figures"). Driven through its stdin and stdout,
 * one line each way per command; see the C file's head for the protocol. Not thread-safe: one
 * caller, the scenario's thread.
 */
final class CListeners implements AutoCloseable {

  private final Process process;
  private final OutputStream in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  /**
   * Starts {@code binary} with {@code listeners} clients, half on each of {@code ports}, on {@code
   * path}, and waits until all are connected.
   */
  CListeners(String binary, int[] ports, int listeners, String path)
      throws IOException, InterruptedException {
    process =
        new ProcessBuilder(
                binary,
                Integer.toString(ports[0]),
                Integer.toString(ports[1]),
                Integer.toString(listeners),
                path)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    in = process.getOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String l; (l = r.readLine()) != null; ) {
                  lines.add(l);
                }
              } catch (IOException e) {
                lines.add("error " + e);
              }
              lines.add("exited");
            },
            "c-listeners-out");
    reader.setDaemon(true);
    reader.start();
    expect("ready", TimeUnit.SECONDS.toNanos(60));
  }

  long pid() {
    return process.pid();
  }

  /**
   * A command follows: its event (the first state event stamped from now on) is awaited at every
   * listener. Call before sending it.
   */
  void startCommand() throws IOException {
    send("cmd " + WallClock.micros());
  }

  /**
   * The first and the last listener's latency of the command's event, in µs; null when not every
   * listener had it within {@code timeoutNanos}.
   */
  long[] awaitCommand(long timeoutNanos) throws InterruptedException {
    String done = expect("done", timeoutNanos);
    if (done == null) {
      return null;
    }
    String[] w = done.split(" ");
    return new long[] {Long.parseLong(w[1]), Long.parseLong(w[2])};
  }

  /** The measured window starts now (histograms and the process's CPU). */
  void reset() throws IOException {
    send("reset");
  }

  /** Ends the process and returns its summary's figures (latencies in ms, CPU per command). */
  Map<String, Double> finish() throws IOException, InterruptedException {
    send("quit");
    String s = expect("summary", TimeUnit.SECONDS.toNanos(10));
    Map<String, Double> out = new LinkedHashMap<>();
    if (s != null) {
      for (String kv : s.substring("summary ".length()).split(" ")) {
        int eq = kv.indexOf('=');
        out.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
      }
    }
    return out;
  }

  private void send(String line) throws IOException {
    in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
    in.flush();
  }

  /** The next line that starts with {@code word}, or null after {@code timeoutNanos}. */
  private String expect(String word, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (l == null) {
        return null;
      }
      if (l.startsWith(word)) {
        return l;
      }
      if (l.equals("exited") || l.startsWith("error")) {
        throw new IllegalStateException("relay-listeners ended before \"" + word + "\": " + l);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(5, TimeUnit.SECONDS);
  }
}
