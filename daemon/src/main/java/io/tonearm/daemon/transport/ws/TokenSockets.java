package io.tonearm.daemon.transport.ws;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open WebSockets of each token: caps them ({@code --max-sockets-per-token}) and closes them
 * when the token is revoked. A socket is counted from its upgrade request (so that two upgrades at
 * once cannot both pass the cap) until its connection closes. MPD connections that gave the token
 * with {@code password} count too, and are closed on revocation like the sockets. Thread-safe.
 */
public final class TokenSockets {

  private final int maxPerToken;
  private final Map<String, Set<Channel>> byToken = new ConcurrentHashMap<>();

  public TokenSockets(int maxPerToken) {
    this.maxPerToken = maxPerToken;
  }

  /**
   * Counts {@code ch} as a socket of {@code tokenId} until it closes.
   *
   * @return false (and nothing counted) when the token has {@code maxPerToken} open already
   */
  public boolean reserve(String tokenId, Channel ch) {
    boolean[] ok = {false};
    byToken.compute(
        tokenId,
        (k, set) -> {
          Set<Channel> s = set == null ? ConcurrentHashMap.newKeySet() : set;
          if (s.size() < maxPerToken) {
            ok[0] = s.add(ch) || true;
          }
          return s.isEmpty() ? null : s;
        });
    if (ok[0]) {
      ch.closeFuture().addListener(f -> release(tokenId, ch));
    }
    return ok[0];
  }

  /** Stops counting {@code ch} as a socket of {@code tokenId} (it stays open). */
  public void release(String tokenId, Channel ch) {
    byToken.computeIfPresent(
        tokenId,
        (k, s) -> {
          s.remove(ch);
          return s.isEmpty() ? null : s;
        });
  }

  /** Open sockets of {@code tokenId}. */
  public int count(String tokenId) {
    Set<Channel> s = byToken.get(tokenId);
    return s == null ? 0 : s.size();
  }

  /** Tokens with an open socket. */
  public int tokens() {
    return byToken.size();
  }

  public int maxPerToken() {
    return maxPerToken;
  }

  /**
   * Closes every open socket of {@code tokenId} with {@code code} (on each socket's event loop).
   *
   * @return how many were open
   */
  public int closeAll(String tokenId, int code, String reason) {
    Set<Channel> s = byToken.get(tokenId);
    if (s == null) {
      return 0;
    }
    int n = 0;
    for (Channel ch : Set.copyOf(s)) {
      n++;
      ch.eventLoop()
          .execute(
              () -> {
                WsHandler h = ch.pipeline().get(WsHandler.class);
                WsSession session = h == null ? null : h.session();
                if (session != null) {
                  session.close(code, reason, "token_revoked");
                } else {
                  ch.close();
                }
              });
    }
    return n;
  }
}
