package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestHeadersTest {

  private static final String[] NAMES = {
    "host",
    "Host",
    "HOST",
    "if-none-match",
    "If-None-Match",
    "content-type",
    "X-Tonearm-Spool",
    "x-tonearm-spool",
    "a",
    "A",
    "accept"
  };

  /** The map the dispatcher copied before: lower-cased names, the first value of each. */
  private static Map<String, String> copied(HttpHeaders h) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String> e : h) {
      out.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    return out;
  }

  @Test
  void answersAsTheCopyOfTheHeadersDid() {
    Random rnd = new Random(17);
    String[] keys = {
      "host",
      "Host",
      "if-none-match",
      "IF-NONE-MATCH",
      "content-type",
      "x-tonearm-spool",
      "a",
      "A",
      "b",
      "",
      " host",
      "h\u00f6st",
      "accept"
    };
    for (int i = 0; i < 3_000; i++) {
      HttpHeaders h = new DefaultHttpHeaders();
      for (int n = rnd.nextInt(8); n > 0; n--) {
        h.add(NAMES[rnd.nextInt(NAMES.length)], "v" + rnd.nextInt(5));
      }
      Map<String, String> expected = copied(h);
      RequestHeaders view = new RequestHeaders(h);
      for (String k : keys) {
        assertEquals(expected.get(k), view.get(k), h + " " + k);
        assertEquals(expected.containsKey(k), view.containsKey(k), h + " " + k);
      }
      assertEquals(expected, view);
      assertEquals(expected.size(), view.size());
    }
  }
}
