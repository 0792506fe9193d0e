package io.tonearm.daemon.command;

import com.google.protobuf.Message;
import java.util.concurrent.CompletionStage;

/**
 * One command of the table: its name, where HTTP reaches it, the request message it takes and the
 * handler that applies it. The same entry serves HTTP, the socket's {@code Command} and any other
 * frontend.
 *
 * @param name dotted name, e.g. {@code "player.seek"}; also {@code Origin.command} of its events
 * @param method upper-case HTTP method
 * @param path HTTP path pattern under {@code /api/v1}, {@code {name}} segments are parameters
 * @param request the request message's default instance ({@code Empty} when it takes no body)
 * @param status HTTP status of a success (200, or 201 for a command that creates)
 * @param scope what a caller's token must allow (every GET needs {@code read}); checked by the
 *     {@link CommandRunner} for every edge
 * @param handler applies the command
 * @param zoning whether it acts on a zone's player, and which
 * @param <Q> the request message type
 */
public record Command<Q extends Message>(
    String name,
    String method,
    String path,
    Q request,
    int status,
    io.tonearm.daemon.access.Scope scope,
    Handler<Q> handler,
    Zoning zoning) {

  /** A command on shared state (library, playlists, jobs, tokens...): no zone. */
  public Command(
      String name,
      String method,
      String path,
      Q request,
      int status,
      io.tonearm.daemon.access.Scope scope,
      Handler<Q> handler) {
    this(name, method, path, request, status, scope, handler, Zoning.SHARED);
  }

  /** Which zone a command acts on; checked by the {@link CommandRunner} for every edge. */
  public enum Zoning {
    /** Shared state: no zone is named or checked. */
    SHARED,
    /**
     * One zone's player: the zone the caller names ({@code ?zone=}, {@code Command.zone}), else its
     * connection's or its token's (see {@link io.tonearm.daemon.access.Principal#zoneFor}).
     */
    ZONE
  }

  /**
   * Applies one command. Called on the caller's thread (a Netty event loop): must not block; work
   * for a state owner is handed to it and the stage completes when it is done. A refusal is a
   * {@link io.tonearm.daemon.errors.DomainException}, thrown or carried by the stage.
   *
   * @param <Q> the request message type
   */
  @FunctionalInterface
  public interface Handler<Q extends Message> {
    CompletionStage<? extends Message> apply(Call<Q> call);
  }

  /** True when the command changes state (anything but a GET). */
  public boolean mutates() {
    return !method.equals("GET");
  }
}
