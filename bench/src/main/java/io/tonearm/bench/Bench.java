package io.tonearm.bench;

import io.tonearm.bench.decode.DecodeBench;
import io.tonearm.bench.library.LibraryBench;
import java.util.Arrays;

/**
 * The one entry point: {@code java -jar bench/target/tonearm-bench.jar <scenario> [flags]}. The
 * load scenarios start the daemon under test in a child JVM ({@link DaemonProcess}) and drive it
 * from this one, print a line per run and the medians, and write a JSON and a Markdown report with
 * the machine's details; the CPU, decode, scan and analysis scenarios are the earlier mains,
 * reached by name here.
 */
public final class Bench {

  static final String USAGE =
      """
      usage: java -jar bench/target/tonearm-bench.jar <scenario> [flags]
        fanout     --clients 1000 --fps 60 --state-hz 5 --warmup 3 --seconds 10 --runs 3 --client-threads 1
        commands   --listeners 100 --commands 200 --runs 3 [--command publish|volume] [--transport http|socket|both] [--against-mpd]
        access-cost --threads 4 --seconds 10 --runs 5        (auth + limits vs loopback trust)
        zones      --users 100 --commands 100 --runs 3 [--transport http|socket]   (a zone and token per user)
        resume     --missed 300 --resumes 200 --runs 3
        storm      --clients 5000 --missed 100 --runs 3 --client-threads 2
        relay      --listeners 1000 --commands 200 --viewers 5000 --fps 30 --seconds 10 --runs 3   (origin + Redis + 2 relays)
        idle       --connections 2000 --runs 3 --settle-seconds 3
        scan       CORPUS [RUNS]                         (library scan, cold and unchanged)
        search     [TRACKS]                              (search latency on synthetic tracks)
        decode     SECONDS --formats flac,mp3,opus --runs 3 [--dir DIR]   (needs ffmpeg)
        play-cpu   --jar daemon/target/tonearm-daemon.jar --corpus DIR [--formats ..] [--seconds 20] [--runs 3]
        views-cpu  --corpus DIR [--seconds 20] [--runs 3] [--warmup 60]
        analysis   [JMH flags]                           (spectrum tick, meters, overview)
      Reports (load scenarios): --report-dir DIR (default bench/target/reports).""";

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
      return;
    }
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
      case "scan" -> LibraryBench.main(prepend("scan", rest));
      case "search" -> LibraryBench.main(prepend("search", rest));
      case "decode" -> DecodeBench.main(rest);
      case "play-cpu" -> PlayCpuBench.main(rest);
      case "views-cpu" -> ViewsCpuBench.main(rest);
      case "analysis" ->
          org.openjdk.jmh.Main.main(
              prepend(
                  "io.tonearm.bench.analysis.(SpectrumTickBench|MeterBench|OverviewBench)", rest));
      default -> {
        System.err.println("unknown scenario '" + args[0] + "'\n" + USAGE);
        System.exit(2);
      }
    }
    System.exit(0);
  }

  private static String[] prepend(String first, String[] rest) {
    String[] a = new String[rest.length + 1];
    a[0] = first;
    System.arraycopy(rest, 0, a, 1, rest.length);
    return a;
  }
}
