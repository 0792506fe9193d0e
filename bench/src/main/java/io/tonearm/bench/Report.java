package io.tonearm.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scenario's figures: its parameters, one row of named figures per run, the medians over the
 * runs, and the machine (CPU model and count, memory, kernel, JVM, load average before and after).
 * Written as JSON and Markdown to {@code --report DIR} (default {@code bench/target/reports}). Not
 * thread-safe: the scenario's main thread fills it.
 */
final class Report {

  private final String scenario;
  private final Map<String, Object> params = new LinkedHashMap<>();
  private final List<Map<String, Double>> runs = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> printed = new ArrayList<>();
  private final String loadBefore = loadAverage();
  private final Instant started = Instant.now();

  Report(String scenario) {
    this.scenario = scenario;
  }

  Report param(String name, Object value) {
    params.put(name, value);
    return this;
  }

  void note(String text) {
    notes.add(text);
  }

  /**
   * Adds what a scenario printed (the earlier mains' text tables, kept as they print them) to go in
   * the report verbatim beside or instead of the per-run figures.
   */
  void printed(List<String> lines) {
    printed.addAll(lines);
  }

  /** Adds one run's figures and prints them as one line. */
  void run(Map<String, Double> figures) {
    runs.add(new LinkedHashMap<>(figures));
    System.out.println(scenario + " run " + runs.size() + ": " + text(figures));
  }

  Map<String, Double> medians() {
    Map<String, Double> m = new LinkedHashMap<>();
    if (!runs.isEmpty()) {
      for (String k : runs.get(0).keySet()) {
        m.put(k, Median.of(runs, r -> r.getOrDefault(k, Double.NaN)));
      }
    }
    return m;
  }

  /**
   * Prints the medians and writes the JSON and Markdown files to {@code --report DIR}, with the
   * command line among the parameters; returns the JSON file.
   */
  Path write(Args a) throws IOException {
    params.putIfAbsent("command_line", a.commandLine());
    return write(a.reportDir());
  }

  /**
   * Prints the medians and writes {@code <scenario>-<time>.json} and {@code .md} to {@code dir}.
   */
  Path write(Path dir) throws IOException {
    System.out.println(scenario + " median of " + runs.size() + ": " + text(medians()));
    Files.createDirectories(dir);
    String stem = scenario + "-" + started.toString().replace(':', '-');
    Map<String, Object> machine = machine();
    Path jsonFile = dir.resolve(stem + ".json");
    Files.writeString(jsonFile, json(machine));
    Files.writeString(dir.resolve(stem + ".md"), markdown(machine));
    System.out.println("report: " + jsonFile + " and .md");
    return jsonFile;
  }

  /** The report as one JSON object: scenario, started, params, machine, runs, median, notes. */
  String json(Map<String, Object> machine) {
    Map<String, Double> med = medians();
    StringBuilder json = new StringBuilder("{");
    json.append("\"scenario\":")
        .append(q(scenario))
        .append(",\"started\":")
        .append(q(started.toString()));
    json.append(",\"params\":").append(obj(params)).append(",\"machine\":").append(obj(machine));
    json.append(",\"runs\":[");
    for (int i = 0; i < runs.size(); i++) {
      json.append(i == 0 ? "" : ",").append(obj(new LinkedHashMap<>(runs.get(i))));
    }
    json.append("],\"median\":").append(obj(new LinkedHashMap<>(med)));
    json.append(",\"notes\":").append(array(notes));
    json.append(",\"printed\":").append(array(printed));
    return json.append("}\n").toString();
  }

  /** The report as Markdown: parameters, machine, a table of the runs with the medians, notes. */
  String markdown(Map<String, Object> machine) {
    Map<String, Double> med = medians();
    StringBuilder md = new StringBuilder("# " + scenario + " (" + started + ")\n\n");
    md.append("Parameters: ").append(params).append("\n\nMachine: ").append(machine).append("\n\n");
    if (runs.isEmpty()) {
      md.append("No per-run figures");
      md.append(printed.isEmpty() ? ".\n" : ": the scenario's printed table is below.\n");
    } else {
      table(md, med);
    }
    notes.forEach(n -> md.append("\n- ").append(n));
    if (!printed.isEmpty()) {
      md.append("\n\nAs printed:\n\n```\n");
      printed.forEach(l -> md.append(l).append('\n'));
      md.append("```");
    }
    return md.append('\n').toString();
  }

  private void table(StringBuilder md, Map<String, Double> med) {
    md.append("| run |");
    med.keySet().forEach(k -> md.append(' ').append(k).append(" |"));
    md.append("\n|---|").append("---|".repeat(med.size())).append('\n');
    for (int i = 0; i < runs.size(); i++) {
      md.append("| ").append(i + 1).append(" |");
      for (String k : med.keySet()) {
        md.append(' ').append(fmt(runs.get(i).getOrDefault(k, Double.NaN))).append(" |");
      }
      md.append('\n');
    }
    md.append("| **median** |");
    med.values().forEach(v -> md.append(" **").append(fmt(v)).append("** |"));
    md.append('\n');
  }

  Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory_mb", memTotalMb());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("load_before", loadBefore);
    m.put("load_after", loadAverage());
    m.put(
        "bench_jvm_args",
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    return m;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static long memTotalMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return -1;
  }

  private static String text(Map<String, Double> f) {
    StringBuilder b = new StringBuilder();
    f.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(fmt(v)));
    return b.toString();
  }

  static String fmt(double v) {
    return Double.isNaN(v)
        ? "n/a"
        : v == Math.rint(v) && Math.abs(v) < 1e15
            ? String.format(Locale.ROOT, "%d", (long) v)
            : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String obj(Map<String, ?> m) {
    StringBuilder b = new StringBuilder("{");
    m.forEach(
        (k, v) -> {
          b.append(b.length() == 1 ? "" : ",").append(q(k)).append(':');
          if (v instanceof Number n && !(v instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            b.append(n);
          } else if (v instanceof Double) {
            b.append("null");
          } else {
            b.append(q(String.valueOf(v)));
          }
        });
    return b.append('}').toString();
  }

  private static String array(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      b.append(i == 0 ? "" : ",").append(q(items.get(i)));
    }
    return b.append(']').toString();
  }

  private static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return b.append('"').toString();
  }
}
