package io.tonearm.daemon.transport.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request's headers as {@link io.tonearm.daemon.api.ApiRequest} takes them (names in lower case,
 * the first value of each), read from Netty's headers when a name is asked for instead of copied
 * into a map for every request: most commands ask for none, and the copy (a lower-cased name and a
 * hash entry per header) was about 1 % of a volume command's CPU. Iteration, size and equality see
 * the same map the copy was, made when they are called. Read-only; the headers must not change
 * after it is made (the dispatcher makes it after the gate and the upload handler are done).
 */
final class RequestHeaders extends AbstractMap<String, String> {

  private final HttpHeaders headers;

  RequestHeaders(HttpHeaders headers) {
    this.headers = headers;
  }

  @Override
  public String get(Object key) {
    // Netty's lookup ignores ASCII case; the copy's names are lower case, so a name with anything
    // else in it found nothing there: the copy answers those.
    return key instanceof String k && plainLowerCase(k) ? headers.get(k) : copy().get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String k && plainLowerCase(k)
        ? headers.contains(k)
        : copy().containsKey(key);
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return copy().entrySet();
  }

  private Map<String, String> copy() {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String> h : headers) {
      out.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  private static boolean plainLowerCase(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 0x7f || (c >= 'A' && c <= 'Z')) {
        return false;
      }
    }
    return true;
  }
}
