package io.tonearm.daemon.transport.ws;

/** Checks a {@code /ws} URL before the upgrade, so that a malformed one is a plain 400. */
public final class WsUrl {
  private WsUrl() {}

  /**
   * @throws IllegalArgumentException with a message for the client when the URL is malformed
   */
  public static void check(String uri) {
    WsRequest.parse(uri);
  }

  /**
   * Whether Netty's upgrade handler (path {@code /ws}, {@code checkStartsWith}) takes a request for
   * {@code uri}: {@code /ws}, or {@code /ws} followed by {@code /} or {@code ?} and anything. The
   * gate must judge every such request, not only those whose path is exactly {@code /ws}.
   */
  public static boolean upgradable(String uri) {
    return uri.startsWith("/ws")
        && (uri.length() == 3 || uri.charAt(3) == '/' || uri.charAt(3) == '?');
  }

  /** The URL's {@code zone}, or null when it names none. Call after {@link #check}. */
  public static String zone(String uri) {
    return WsRequest.parse(uri).zone();
  }
}
