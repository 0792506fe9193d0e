package io.tonearm.daemon.transport.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The names the daemon answers to, checked against each request's {@code Host} header so that a
 * page on another site whose name has been pointed at this machine (DNS rebinding) cannot read
 * anything: the browser then sends that site's name as the Host.
 *
 * <p>Allowed: any IP address literal (a browser sends one only when it was asked for that address,
 * which no other site can make it do under its own origin); the bind address; {@code localhost} for
 * a loopback or wildcard bind; the machine's host name (and its first label) for a wildcard bind;
 * and the names given with {@code --allow-host}. A request without a Host header (HTTP/1.0 tools)
 * is not a browser's and passes. Thread-safe; immutable but for a cache of the last Host header
 * allowed (clients send the same one on every request).
 */
public final class HostNames {

  private final Set<String> names;

  /** The last Host header allowed, verbatim: the same header again needs no parsing. */
  private volatile String lastAllowed;

  private HostNames(Set<String> names) {
    this.names = Set.copyOf(names);
  }

  /**
   * The names for a daemon bound to {@code bind}, plus {@code extra} (lower-case names without a
   * port).
   */
  public static HostNames forBind(String bind, Set<String> extra) {
    Set<String> names = new HashSet<>();
    extra.forEach(n -> names.add(normalize(n)));
    String b = normalize(bind == null ? "" : bind);
    boolean wildcard = b.isEmpty() || b.equals("0.0.0.0") || b.equals("[::]") || b.equals("::");
    if (!wildcard) {
      names.add(b);
    }
    if (wildcard || b.equals("localhost") || isLoopback(b)) {
      names.add("localhost");
    }
    if (wildcard) {
      try {
        String host = normalize(InetAddress.getLocalHost().getHostName());
        names.add(host);
        int dot = host.indexOf('.');
        if (dot > 0 && !isIpLiteral(host)) {
          names.add(host.substring(0, dot));
        }
      } catch (UnknownHostException e) {
        // no name of its own: IP literals, localhost and --allow-host still work
      }
    }
    return new HostNames(names);
  }

  /** True when a request with this Host header (null when absent) may be answered. */
  public boolean allows(String hostHeader) {
    if (hostHeader == null) {
      return true;
    }
    if (hostHeader.equals(lastAllowed)) {
      return true;
    }
    String host = hostOf(hostHeader);
    boolean allowed = isIpLiteral(host) || names.contains(host);
    if (allowed) {
      lastAllowed = hostHeader;
    }
    return allowed;
  }

  /** The names besides IP literals, for messages and /health. */
  public Set<String> names() {
    return names;
  }

  /** A Host header or an origin's authority: host (lower-case, IPv6 in brackets) and port. */
  record Authority(String host, int port) {

    /** Parses {@code host[:port]}; the port is -1 when absent or malformed. */
    static Authority parse(String authority) {
      String a = authority.trim().toLowerCase(Locale.ROOT);
      String host = a;
      String rest = "";
      if (a.startsWith("[")) {
        int end = a.indexOf(']');
        if (end > 0) {
          host = a.substring(0, end + 1);
          rest = a.substring(end + 1);
        }
      } else {
        int colon = a.indexOf(':');
        if (colon >= 0 && a.indexOf(':', colon + 1) < 0) {
          host = a.substring(0, colon);
          rest = a.substring(colon);
        }
      }
      int port = -1;
      if (rest.startsWith(":")) {
        try {
          port = Integer.parseInt(rest.substring(1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      return new Authority(normalize(host), port);
    }
  }

  /** The host part of a Host header, lower-case, IPv6 in brackets, no trailing dot. */
  static String hostOf(String authority) {
    return Authority.parse(authority).host();
  }

  private static String normalize(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.indexOf(':') >= 0 && !n.startsWith("[")) {
      n = "[" + n + "]";
    }
    return n;
  }

  private static boolean isLoopback(String host) {
    return host.startsWith("127.") || host.equals("[::1]");
  }

  static boolean isIpLiteral(String host) {
    if (host.startsWith("[") && host.endsWith("]")) {
      return host.length() > 2 && host.substring(1, host.length() - 1).matches("[0-9a-f:.]+");
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
