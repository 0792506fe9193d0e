package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.JobState;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryDbTest {
  @TempDir Path tmp;

  static int scalar(Path data, String sql) throws SQLException {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("library.db"));
        var st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getInt(1) : -1;
    }
  }

  @Test
  void migratesToTheLatestVersionAndRefusesANewerDatabase() throws Exception {
    Path data = tmp.resolve("data");
    new LibraryDb(data).close();
    assertEquals(Schema.latest(), scalar(data, "PRAGMA user_version"));
    new LibraryDb(data).close(); // reopening applies nothing and keeps the version
    assertEquals(Schema.latest(), scalar(data, "PRAGMA user_version"));
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("library.db"));
        var st = c.createStatement()) {
      st.execute("PRAGMA user_version = 99");
    }
    assertThrows(SQLException.class, () -> new LibraryDb(data));
  }

  @Test
  void scanKilledWithSigkillLeavesADatabaseTheNextScanCompletes() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    int n = 1500;
    byte[] ogg;
    try (InputStream in = getClass().getResourceAsStream("/library/1s_440Hz_44k1_mono.ogg")) {
      ogg = in.readAllBytes();
    }
    for (int i = 0; i < n; i++) {
      Files.write(music.resolve(String.format("%04d.ogg", i)), ogg);
    }
    Path data = tmp.resolve("data");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ScanChild.class.getName(),
                data.toString(),
                music.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child.log").toFile())
            .start();
    int committed = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (committed == 0 && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
      try {
        committed =
            Files.exists(data.resolve("library.db"))
                ? scalar(data, "SELECT count(*) FROM tracks")
                : 0;
      } catch (SQLException e) {
        committed = 0; // schema not there yet
      }
    }
    child.destroyForcibly(); // SIGKILL on Linux
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    int atKill = scalar(data, "SELECT count(*) FROM tracks");
    assertTrue(
        atKill > 0 && atKill < n, "killed mid-scan with " + atKill + " of " + n + " committed");
    assertEquals(0, atKill % FolderScan.BATCH, "only whole batches are ever visible");

    RecordingLane lane = new RecordingLane();
    try (Jobs jobs = new Jobs(lane, 1);
        Library library = new Library(data, lane, jobs)) {
      jobs.start();
      assertEquals("ok", integrity(data));
      assertEquals(atKill, library.summary().getTrackCount());
      String id = library.scan(false, List.of(), "test").jobId();
      LibraryTest.awaitJob(jobs, id);
      assertEquals(JobState.JOB_STATE_COMPLETED, jobs.find(id).orElseThrow().getState());
      assertEquals(n, library.summary().getTrackCount());
      var done =
          lane.matching(e -> e.getLibrary().hasScanCompleted())
              .get(0)
              .getLibrary()
              .getScanCompleted();
      assertEquals(n - atKill, done.getAdded(), "the next scan reads only what was not committed");
    }
  }

  static String integrity(Path data) throws SQLException {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("library.db"));
        var st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
