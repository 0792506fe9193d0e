package io.tonearm.bench;

/**
 * {@code java -jar bench/target/tonearm-bench.jar <fanout|commands|resume> [--flag value ...]}.
 * Every scenario starts its own daemon in a child JVM, prints a line per run and a median line.
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
      System.exit(2);
      return;
    }
    Args a = new Args(args, 1);
    switch (args[0]) {
      case "fanout" -> FanoutScenario.run(a);
      case "commands" -> CommandsScenario.run(a);
      case "resume" -> ResumeScenario.run(a);
      default -> {
        usage();
        System.exit(2);
      }
    }
    System.exit(0);
  }

  private static void usage() {
    System.err.println(
        "usage: tonearm-bench <scenario> [flags]\n"
            + "  fanout   --clients 1000 --fps 60 --state-hz 5 --warmup 3 --seconds 10 --runs 3"
            + " --client-threads 1\n"
            + "  commands --listeners 100 --commands 200 --runs 3 [--command publish|volume]\n"
            + "  resume   --missed 300 --resumes 200 --runs 3");
  }
}
