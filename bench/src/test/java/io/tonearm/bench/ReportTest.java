package io.tonearm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  @TempDir Path dir;

  private static Map<String, Double> run(double p50, double p99) {
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("p50_ms", p50);
    f.put("p99_ms", p99);
    return f;
  }

  private static Report threeRuns() {
    Report r = new Report("resume").param("missed", 300).param("daemon", "a \"quoted\" name");
    r.run(run(1.0, 9.0));
    r.run(run(3.0, Double.NaN));
    r.run(run(2.0, 5.0));
    r.note("line one\nline two");
    return r;
  }

  @Test
  void jsonHasParamsRunsMediansAndNotes() throws Exception {
    Path file = threeRuns().write(dir);
    assertTrue(file.getFileName().toString().matches("resume-.*\\.json"));
    JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    assertEquals("resume", o.get("scenario").getAsString());
    assertEquals(300, o.getAsJsonObject("params").get("missed").getAsInt());
    assertEquals("a \"quoted\" name", o.getAsJsonObject("params").get("daemon").getAsString());
    assertEquals(3, o.getAsJsonArray("runs").size());
    assertEquals(
        3.0, o.getAsJsonArray("runs").get(1).getAsJsonObject().get("p50_ms").getAsDouble());
    assertTrue(o.getAsJsonArray("runs").get(1).getAsJsonObject().get("p99_ms").isJsonNull());
    assertEquals(2.0, o.getAsJsonObject("median").get("p50_ms").getAsDouble());
    assertEquals("line one\nline two", o.getAsJsonArray("notes").get(0).getAsString());
    JsonObject machine = o.getAsJsonObject("machine");
    for (String k :
        List.of("cpu", "cores", "memory_mb", "os", "jvm", "load_before", "load_after")) {
      assertTrue(machine.has(k), k);
    }
  }

  @Test
  void markdownHasTheRunsTableAndTheMedianRow() throws Exception {
    threeRuns().write(dir);
    Path md;
    try (Stream<Path> s = Files.list(dir)) {
      md = s.filter(p -> p.toString().endsWith(".md")).findFirst().orElseThrow();
    }
    List<String> lines = Files.readAllLines(md);
    assertTrue(lines.get(0).startsWith("# resume ("));
    assertTrue(lines.contains("| run | p50_ms | p99_ms |"), lines.toString());
    assertTrue(lines.contains("| 1 | 1 | 9 |"), lines.toString());
    assertTrue(lines.contains("| 2 | 3 | n/a |"), lines.toString());
    assertTrue(lines.contains("| **median** | **2** | **7** |"), lines.toString());
  }

  @Test
  void printedOutputIsKeptVerbatimWhenThereAreNoRuns() throws Exception {
    Report r = new Report("decode");
    r.printed(List.of("format codec MB", "flac   FLAC   10.0"));
    JsonObject o = JsonParser.parseString(Files.readString(r.write(dir))).getAsJsonObject();
    assertEquals(0, o.getAsJsonArray("runs").size());
    assertEquals("flac   FLAC   10.0", o.getAsJsonArray("printed").get(1).getAsString());
    String md = r.markdown(Map.of());
    assertTrue(md.contains("```\nformat codec MB\nflac   FLAC   10.0\n```"), md);
  }

  @Test
  void commandLineGoesIntoTheParams() throws Exception {
    Report r = new Report("idle");
    r.run(run(1, 2));
    Path file =
        r.write(new Args(new String[] {"idle", "--runs", "1", "--report", dir.toString()}, 1));
    assertEquals(dir, file.getParent());
    JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    assertEquals(
        "idle --runs 1 --report " + dir,
        o.getAsJsonObject("params").get("command_line").getAsString());
  }
}
