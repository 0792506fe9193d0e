package io.tonearm.daemon.transport.http;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/**
 * The {@code Date} header's value (IMF-fixdate, RFC 9110 section 5.6.7), formatted once per second
 * and shared by every connection: a reply costs a clock read, not a formatting.
 */
final class HttpDate {
  private HttpDate() {}

  private record Stamp(long second, String text) {}

  private static volatile Stamp last = new Stamp(-1, "");

  static String now() {
    long ms = System.currentTimeMillis();
    long second = ms / 1000;
    Stamp s = last;
    if (s.second != second) {
      s = new Stamp(second, DateFormatter.format(new Date(second * 1000)));
      last = s;
    }
    return s.text;
  }
}
