package io.tonearm.daemon.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one INFO line on logger {@code audit} for each connection, each refused
 * authentication, each token's use from an address (first seen, then at most every {@value
 * #USE_EVERY_MS} ms: a line per request would drown everything else), and each admin command. Lines
 * name the client's address and the token by name and id, never its secret. Thread-safe.
 */
public final class AuditLog {

  /** How often the use of one token from one address is logged again. */
  public static final long USE_EVERY_MS = 600_000;

  private static final int MAX_USES_REMEMBERED = 4096;
  private static final Logger LOG = LoggerFactory.getLogger("audit");

  private final Map<String, Long> lastUse = new ConcurrentHashMap<>();

  /** A connection to a local address arrived, or was refused ({@code note} says why). */
  public void connection(String kind, String where, String note) {
    LOG.info("connection to {} from {}{}", kind, where, note.isEmpty() ? "" : ": " + note);
  }

  /** A WebSocket opened after its upgrade. */
  public void socketOpened(String id, String where, Principal p, String what) {
    LOG.info("socket {} opened from {} as {} ({})", id, where, p.label(), what);
  }

  /** A WebSocket closed. */
  public void socketClosed(String id, String where, Principal p) {
    LOG.info("socket {} closed from {} as {}", id, where, p.label());
  }

  /** An authentication was refused with {@code code}. */
  public void authFailed(String where, String code, String what) {
    LOG.info("auth failed from {}: {} ({})", where, code, what);
  }

  /** An address used up its failed authentications; further failures are refused unlogged. */
  public void authLimited(String where, long retryMs) {
    LOG.info(
        "auth failures from {} rate limited: refused without checking, unlogged, for {} ms",
        where,
        retryMs);
  }

  /** A token was used from an address (logged when first seen and then every 10 minutes). */
  public void tokenUsed(Principal p, String where, long nowMs) {
    String key = p.tokenId() + "@" + where;
    Long last = lastUse.get(key);
    if (last != null && nowMs - last < USE_EVERY_MS) {
      return;
    }
    if (lastUse.size() >= MAX_USES_REMEMBERED) {
      lastUse.clear();
    }
    lastUse.put(key, nowMs);
    LOG.info("token used from {}: {}", where, p.label());
  }

  /** An admin command ran ({@code outcome}: ok, or the error code). */
  public void admin(Caller c, String command, String detail, String outcome) {
    LOG.info(
        "admin {} by {} from {}{}: {}",
        command,
        c.principal().label(),
        c.where(),
        detail.isEmpty() ? "" : " (" + detail + ")",
        outcome);
  }

  /** A socket was closed because its token was revoked or expired. */
  public void socketsClosed(Principal p, int count, String why) {
    LOG.info("{} socket(s) of {} closed: {}", count, p.label(), why);
  }
}
