package io.tonearm.daemon.transport.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may use the API and open the socket: loopback origins (any port) always,
 * plus the origins named in the configuration. A request without an Origin header (curl, the SDK)
 * is not a browser's cross-origin request and is allowed.
 */
public final class OriginPolicy {

  private static final Set<String> LOOPBACK_HOSTS =
      Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final Set<String> allowed;

  /**
   * @param allowed extra origins, each exactly as browsers send it, e.g. {@code https://a.b:8080}
   */
  public OriginPolicy(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  /** True when a request carrying this Origin header (null when absent) may proceed. */
  public boolean allows(String origin) {
    if (origin == null) {
      return true;
    }
    if (allowed.contains(origin) || allowed.contains("*")) {
      return true;
    }
    try {
      URI u = new URI(origin);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && LOOPBACK_HOSTS.contains(host);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
