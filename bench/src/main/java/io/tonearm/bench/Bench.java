package io.tonearm.bench;

import io.tonearm.bench.decode.DecodeBench;
import io.tonearm.bench.library.LibraryBench;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one entry point: {@code java -jar bench/target/tonearm-bench.jar <scenario> [flags]}. The
 * load scenarios start the daemon under test in a child JVM ({@link DaemonProcess}), or drive one
 * already running ({@code --url}, {@link RunningDaemon}), from this one. Every scenario prints a
 * line per run and the medians and writes one {@link Report} (JSON and Markdown, with the machine's
 * details) to {@code --report DIR}; search, decode and analysis keep their printed tables in it. A
 * usage error exits with 2.
 */
public final class Bench {

  static final String USAGE =
      """
      usage: java -jar bench/target/tonearm-bench.jar <scenario> [flags]
        fanout     --clients 1000 --fps 60 --state-hz 5 --warmup 3 --seconds 10 --runs 3 --client-threads 1
        commands   --listeners 100 --commands 200 --runs 3 [--command publish|volume] [--transport http|socket|both] [--against-mpd]
        access-cost --threads 4 --seconds 10 --runs 5        (auth + limits vs loopback trust)
        zones      --users 100 --commands 100 --runs 3 [--transport http|socket]   (a zone and token per user)
        resume     --missed 300 --resumes 200 --runs 3 [--warmup 5] [--raw] [--trace FILE]   (--raw: a bare client's resume after each SDK one; --trace: each resume's phases on System.nanoTime, for -Xlog:...:tn logs)
        storm      --clients 5000 --missed 100 --runs 3 --client-threads 2
        relay      --listeners 1000 --commands 200 --viewers 5000 --fps 30 --seconds 10 --runs 3 [--warmup 1000] [--commands-with-viewers] [--relay-jvm "OPTS"] [--relay-io epoll|io_uring] [--client-io epoll|io_uring] [--c-listeners BIN] [--ports P] [--relay-cpus LIST --other-cpus LIST]   (origin + Redis + 2 relays)
        idle       --connections 2000 --runs 3 --settle-seconds 3
        scan       CORPUS [RUNS] [--against-mpd]         (library scan, cold and unchanged)
        search     [TRACKS]                              (search latency on synthetic tracks)
        decode     SECONDS --formats flac,mp3,opus --runs 3 [--dir DIR]   (needs ffmpeg)
        play-cpu   --corpus DIR [--jar daemon/target/tonearm-daemon.jar] [--formats ..] [--seconds 20]
                   [--runs 3] [--warmup 120] [--java-opts "..."] [--against-mpd [--mpd-warmup 5]]
        views-cpu  --corpus DIR [--seconds 20] [--runs 3] [--warmup 60] [--jvm "..."]
        analysis   [JMH flags]                           (spectrum tick, meters, overview)
      Every scenario writes a JSON and a Markdown report to --report DIR (default bench/target/reports).
      fanout, commands, resume, storm and idle drive a running daemon instead of starting one with
        --url http://HOST:PORT [--token TOKEN] [--pid PID]   (PID: the daemon's, for its CPU figures)
      and otherwise start their bench daemon with --daemon-jvm "OPTIONS" (after -Xmx1g) or
        --daemon-jvm readme (the README's run options); the JVM's defaults with -Xmx1g without it""";

  /** The earlier mains whose figures the report keeps as they print them. */
  @FunctionalInterface
  private interface Main {
    void run(String[] args) throws Exception;
  }

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
      return;
    }
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("tonearm-bench " + args[0] + ": " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "fanout" -> FanoutScenario.run(new Args(args, 1));
      case "commands" -> CommandsScenario.run(new Args(args, 1));
      case "access-cost" -> AccessCostScenario.run(new Args(args, 1));
      case "zones" -> ZonesScenario.run(new Args(args, 1));
      case "resume" -> ResumeScenario.run(new Args(args, 1));
      case "storm" -> StormScenario.run(new Args(args, 1));
      case "idle" -> IdleScenario.run(new Args(args, 1));
      case "relay" -> RelayScenario.run(new Args(args, 1));
      case "scan" -> ScanScenario.run(new Args(args, 1));
      case "play-cpu" -> PlayCpuBench.run(new Args(args, 1));
      case "views-cpu" -> ViewsCpuBench.run(new Args(args, 1));
      case "search" -> printed(args, r -> LibraryBench.main(prepend("search", r)));
      case "decode" -> printed(args, DecodeBench::main);
      case "analysis" ->
          printed(
              args,
              r ->
                  org.openjdk.jmh.Main.main(
                      prepend(
                          "io.tonearm.bench.analysis.(SpectrumTickBench|MeterBench|OverviewBench)",
                          r)));
      default -> throw new IllegalArgumentException("unknown scenario '" + args[0] + "'");
    }
  }

  /**
   * Runs {@code main} with the flags after the scenario less {@code --report DIR}, echoing what it
   * prints, and writes that text as the scenario's report.
   */
  private static void printed(String[] args, Main main) throws Exception {
    Split split = Split.of(args);
    Report report = new Report(args[0]).param("command_line", String.join(" ", args));
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    PrintStream out = System.out;
    System.setOut(new PrintStream(new Tee(out, copy), true, StandardCharsets.UTF_8));
    try {
      main.run(split.rest());
    } finally {
      System.setOut(out);
    }
    report.printed(copy.toString(StandardCharsets.UTF_8).lines().toList());
    report.write(split.reportDir());
  }

  /**
   * The flags of a printing main, with {@code --report DIR} taken out (the main does not know it).
   */
  record Split(String[] rest, Path reportDir) {
    static Split of(String[] args) {
      List<String> rest = new ArrayList<>();
      Path dir = Args.DEFAULT_REPORT_DIR;
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--report") || a.equals("--report-dir")) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a directory");
          }
          dir = Path.of(args[++i]);
        } else if (a.startsWith("--report=") || a.startsWith("--report-dir=")) {
          dir = Path.of(a.substring(a.indexOf('=') + 1));
        } else {
          rest.add(a);
        }
      }
      return new Split(rest.toArray(new String[0]), dir);
    }
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }

  private static String[] prepend(String first, String[] rest) {
    String[] a = new String[rest.length + 1];
    a[0] = first;
    System.arraycopy(rest, 0, a, 1, rest.length);
    return a;
  }
}
