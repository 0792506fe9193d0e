package io.tonearm.daemon.transport.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may use the API and open the socket: a page's own origin (its host and port
 * are the request's {@code Host}, which {@link HostNames} has already accepted), loopback origins
 * (any port), and the origins named in the configuration. A request without an Origin header (curl,
 * the SDK) is not a browser's cross-origin request and is allowed. Immutable and thread-safe.
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

  /** {@link #allows(String, String)} for a request without a Host header. */
  public boolean allows(String origin) {
    return allows(origin, null);
  }

  /**
   * True when a request carrying this Origin header may proceed.
   *
   * @param origin the Origin header, null when absent
   * @param host the request's Host header, null when absent
   */
  public boolean allows(String origin, String host) {
    if (origin == null) {
      return true;
    }
    if (allowed.contains(origin) || allowed.contains("*")) {
      return true;
    }
    try {
      URI u = new URI(origin);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      String h = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return false;
      }
      return LOOPBACK_HOSTS.contains(h) || sameAuthority(scheme, h, u.getPort(), host);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** True when the origin's host and port are the Host header's (default ports filled in). */
  private static boolean sameAuthority(String scheme, String host, int port, String hostHeader) {
    if (hostHeader == null || host.isEmpty()) {
      return false;
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    HostNames.Authority h = HostNames.Authority.parse(hostHeader);
    return h.host().equals(HostNames.hostOf(host))
        && (h.port() < 0 ? defaultPort : h.port()) == (port < 0 ? defaultPort : port);
  }
}
