package io.tonearm.bench.decode;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decode cost per second of audio over the real files of a corpus (from
 * shared/tools/make-corpus.sh), per format: every file is opened and decoded to its end in 20 ms
 * reads, opening included, as the daemon does when it plays a queue. One warm-up pass over all
 * files of the format, then the median of several timed passes.
 *
 * <p>Run: {@code java -cp ... io.tonearm.bench.decode.CorpusDecodeBench --corpus DIR [--formats
 * flac,mp3,opus] [--runs 3]}.
 */
public final class CorpusDecodeBench {

  private CorpusDecodeBench() {}

  public static void main(String[] args) throws Exception {
    Path corpus = null;
    List<String> formats = List.of("flac", "mp3", "opus");
    int runs = 3;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--corpus" -> corpus = Path.of(args[i + 1]);
        case "--formats" -> formats = List.of(args[i + 1].split(","));
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (corpus == null) {
      throw new IllegalArgumentException("--corpus DIR is required");
    }
    System.out.printf(
        Locale.ROOT,
        "corpus %s, JDK %s, %d runs, open + decode in 20 ms reads%n",
        corpus,
        Runtime.version(),
        runs);
    System.out.printf(
        Locale.ROOT, "%-6s %6s %9s %s%n", "format", "files", "audio s", DecodeCost.header());
    for (String format : formats) {
      List<Path> files = filesOf(corpus, format);
      double seconds = pass(files, new DecodeCost()); // warm-up
      DecodeCost[] costs = new DecodeCost[runs];
      for (int r = 0; r < runs; r++) {
        costs[r] = new DecodeCost();
        pass(files, costs[r]);
      }
      System.out.printf(
          Locale.ROOT,
          "%-6s %6d %9.1f %s%n",
          format,
          files.size(),
          seconds,
          DecodeCost.medians(costs));
    }
  }

  private static double pass(List<Path> files, DecodeCost cost) throws IOException {
    double seconds = 0;
    for (Path file : files) {
      cost.start();
      double s;
      try (Decoder d = Decoders.open(file)) {
        s = DecodeCost.decode(d, Long.MAX_VALUE) / (double) d.format().sampleRate();
      }
      cost.stop(s);
      seconds += s;
    }
    return seconds;
  }

  private static List<Path> filesOf(Path corpus, String ext) throws IOException {
    try (Stream<Path> s = Files.walk(corpus)) {
      return s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith("." + ext))
          .filter(p -> !p.toString().contains("/broken"))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
