package io.tonearm.daemon.transport.ws;

import io.tonearm.daemon.command.SocketCommands;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.StateLog;
import io.tonearm.daemon.ops.Metrics;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every WebSocket connection shares: the state lane (the origin's hub, or a relay's mirror),
 * the frame streams, the fan-out, metrics and the per-connection bounds.
 *
 * @param budgetBytes how far (in encoded bytes of state events) a client may fall behind before it
 *     is closed with 4000
 * @param subscriptions live subscriber count per topic, for /health
 * @param maxMissedPongs pings a client may leave unanswered before it is closed with 4001
 * @param maxFrameBytes largest message a client may send (all its fragments), else close 1009
 * @param commands runs the socket's {@code Command} messages
 * @param access the audit log's source and the token lookups; null when nothing is authenticated
 * @param sockets each token's open sockets (cap, revocation)
 * @param availability whether new sockets are taken now (a relay without Redis refuses them)
 * @param admission decides who an upgrade acts as, where another process holds the tokens (a
 *     relay); null where {@code access} decides
 */
public record WsContext(
    StateLog hub,
    FrameStreams frames,
    Fanout fanout,
    Metrics metrics,
    long budgetBytes,
    int maxMissedPongs,
    int maxFrameBytes,
    String version,
    List<String> capabilities,
    AtomicInteger connections,
    AtomicLong ids,
    AtomicIntegerArray subscriptions,
    SocketCommands commands,
    io.tonearm.daemon.access.Access access,
    TokenSockets sockets,
    Availability availability,
    SocketAdmission admission) {

  /**
   * Subscribers per topic right now (indexed by {@link io.tonearm.daemon.events.Topic#ordinal}).
   */
  public int subscribers(io.tonearm.daemon.events.Topic t) {
    return subscriptions.get(t.ordinal());
  }

  String nextConnectionId() {
    return Long.toString(ids.incrementAndGet());
  }
}
