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

  /** The URL's {@code zone}, or null when it names none. Call after {@link #check}. */
  public static String zone(String uri) {
    return WsRequest.parse(uri).zone();
  }
}
