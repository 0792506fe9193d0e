package io.tonearm.daemon.transport;

import static io.tonearm.daemon.testing.TestDaemons.get;
import static io.tonearm.daemon.testing.TestDaemons.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 item 16: a command whose body lacks a field it needs is a 400 naming the field (it used
 * to run with the default: an empty volume body set volume 0), JSON is parsed strictly, and an HTTP
 * version other than 1.0 and 1.1 is a 505. Each refusal leaves the state as it was.
 */
class StrictRequestE2ETest {

  @TempDir static Path dir;
  private static Daemon daemon;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  /** The player state without what moves by itself (the seq, the server time of the position). */
  private static String player() throws Exception {
    return get(daemon.port(), "/api/v1/player")
        .body()
        .replaceAll("\"seq\":\"\\d+\",?", "")
        .replaceAll("\"server_time_us\":\"\\d+\"", "");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/player/volume|''|volume",
        "/api/v1/player/volume|{}|volume",
        "/api/v1/player/seek|{}|position_ms",
        "/api/v1/player/repeat|{}|mode",
        "/api/v1/player/shuffle|{}|enabled",
        "/api/v1/player/mute|''|enabled",
        "/api/v1/player/single|{}|enabled",
        "/api/v1/player/consume|{}|enabled",
        "/api/v1/queue/move|{\"item_id\":\"q1\"}|to_index",
      })
  void aMissingRequiredFieldIsA400NamingItAndChangesNothing(String path, String body, String field)
      throws Exception {
    String before = player();
    HttpResponse<String> r = post(daemon.port(), path, body);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"missing_field\""), r.body());
    assertTrue(r.body().contains("\"field\":\"" + field + "\""), r.body());
    assertEquals(before, player());
  }

  @Test
  void aFieldAtItsDefaultValueIsStillGiven() throws Exception {
    assertEquals(200, post(daemon.port(), "/api/v1/player/volume", "{\"volume\":0}").statusCode());
    assertTrue(player().contains("\"volume\":0"), player());
    assertEquals(200, post(daemon.port(), "/api/v1/player/volume", "{\"volume\":55}").statusCode());
    assertTrue(player().contains("\"volume\":55"), player());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"volume\":[77]}",
        "{\"volume\":{\"v\":77}}",
        "{\"volume\":30}xyz",
        "{\"volume\":30}{\"volume\":31}",
        "{'volume':30}",
        "{volume:30}",
        "[{\"volume\":30}]",
        "{\"volume\":30,}",
      })
  void nonStrictJsonIsA400AndChangesNothing(String body) throws Exception {
    String before = player();
    HttpResponse<String> r = post(daemon.port(), "/api/v1/player/volume", body);
    assertEquals(400, r.statusCode(), body + " -> " + r.body());
    assertTrue(r.body().contains("\"bad_request\""), r.body());
    assertEquals(before, player());
  }

  @Test
  void anUnknownHttpVersionIsA505() throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write("GET /api/v1/player HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n");
      String head = raw.readHead();
      assertTrue(head.startsWith("HTTP/1.1 505"), head);
    }
  }
}
