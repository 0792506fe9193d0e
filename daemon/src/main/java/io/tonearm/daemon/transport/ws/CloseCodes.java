package io.tonearm.daemon.transport.ws;

/** WebSocket close codes the daemon sends (RFC 6455 section 7.4, plus Tonearm's 4000 range). */
public final class CloseCodes {
  /** The daemon is shutting down. */
  public static final int GOING_AWAY = 1001;

  /** The client broke the protocol (a bad close frame, garbage, unmasked frames). */
  public static final int PROTOCOL_ERROR = 1002;

  /** RFC 6455's policy violation: a socket the gate did not admit (never sent in normal use). */
  public static final int POLICY_VIOLATION = 1008;

  /** A message (one frame, or the fragments of one) too large for the configured limit. */
  public static final int TOO_BIG = 1009;

  /** The client fell more than its outbound budget behind on the state lane, or behind history. */
  public static final int SLOW_CONSUMER = 4000;

  /** The client did not answer pings. */
  public static final int PONG_TIMEOUT = 4001;

  /**
   * The client left more than {@code --max-pending-replies} replies (pongs, acks) unread while
   * sending more pings or requests.
   */
  public static final int UNREAD_REPLIES = 4002;

  /** The socket's token was revoked, or expired, while it was open. */
  public static final int TOKEN_REVOKED = 4003;

  /** The zone the socket follows was removed (after its ZoneChanged REMOVED event). */
  public static final int ZONE_REMOVED = 4004;

  /**
   * The client kept sending commands past its rate: {@value WsHandler#MAX_REFUSED_IN_A_ROW} refused
   * with {@code rate_limited} in a row.
   */
  public static final int RATE_LIMITED = 4008;

  /**
   * A relay lost Redis (its feed from the origin): reconnect, to another relay or the origin, and
   * resume from the last seq.
   */
  public static final int RELAY_LOST_FEED = 4010;

  /**
   * The origin a relay follows started a new epoch (it restarted): reconnect; the resume point is
   * of the old epoch, so the client gets snapshots.
   */
  public static final int ORIGIN_RESTARTED = 4011;

  private CloseCodes() {}
}
