package io.tonearm.daemon.transport.mpd;

import io.tonearm.daemon.mpd.MpdService;
import io.tonearm.daemon.transport.ws.TokenSockets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every MPD connection shares: the protocol service, the bounds and the connection count.
 *
 * @param service the commands and the idle bus
 * @param maxConnections connections beyond this are closed at once
 * @param maxLineBytes longest request line, newline included (MPD: its 8 KiB input buffer); a
 *     longer line closes the connection, as MPD does
 * @param maxCommandListBytes most bytes of commands one command list may hold (MPD's {@code
 *     max_command_list_size}, 2 MiB); more closes the connection
 * @param maxOutputBytes most reply bytes waiting for a client that does not read (MPD's {@code
 *     max_output_buffer_size}, 8 MiB); more closes the connection
 * @param timeoutSeconds a connection that sends nothing this long while not in {@code idle} is
 *     closed (MPD's {@code connection_timeout}, 60 s)
 * @param connections open connections, for the bound and /metrics
 * @param idle tells the connections of changes (subscribed to the service's idle bus)
 * @param trustLoopback true when a loopback client may use every command without {@code password}
 *     (the daemon's {@code --trust-loopback}); every other client starts with no permission
 * @param tokenConnections counts a connection toward its token's open sockets once {@code password}
 *     names one (the same cap as WebSockets), and closes it when the token is revoked
 */
public record MpdContext(
    MpdService service,
    int maxConnections,
    int maxLineBytes,
    int maxCommandListBytes,
    long maxOutputBytes,
    int timeoutSeconds,
    AtomicInteger connections,
    IdleFanout idle,
    boolean trustLoopback,
    TokenSockets tokenConnections) {

  /** MPD's bounds, with {@code maxConnections} connections. */
  public static MpdContext defaults(
      MpdService service,
      int maxConnections,
      boolean trustLoopback,
      TokenSockets tokenConnections) {
    IdleFanout idle = new IdleFanout();
    service.bus().subscribe(idle);
    return new MpdContext(
        service,
        maxConnections,
        8192,
        2 << 20,
        8L << 20,
        60,
        new AtomicInteger(),
        idle,
        trustLoopback,
        tokenConnections);
  }
}
