package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.access.StoredToken;
import io.tonearm.daemon.access.Tickets;
import io.tonearm.daemon.access.TokenStore;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.proto.v1.CreateTokenReply;
import io.tonearm.proto.v1.CreateTokenRequest;
import io.tonearm.proto.v1.RevokeTokenReply;
import io.tonearm.proto.v1.TicketReply;
import io.tonearm.proto.v1.TokenList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * {@code /api/v1/tokens} and {@code /api/v1/auth/ticket}. Creating and revoking write the token
 * file, so they run on {@code io} (one thread), never on an event loop.
 */
final class AccessCommands {

  private final Access access;
  private final ToIntFunction<String> closeSockets;
  private final Executor io;
  private final LongSupplier millis;

  /**
   * @param closeSockets closes the open sockets of a token id (with 4003) and says how many
   * @param io where the token file is written
   */
  AccessCommands(
      Access access, ToIntFunction<String> closeSockets, Executor io, LongSupplier millis) {
    this.access = access;
    this.closeSockets = closeSockets;
    this.io = io;
    this.millis = millis;
  }

  CompletionStage<TokenList> list(Call<Empty> c) {
    TokenList.Builder b = TokenList.newBuilder();
    access.tokens().list().forEach(t -> b.addTokens(t.info()));
    return CompletableFuture.completedFuture(b.build());
  }

  CompletionStage<CreateTokenReply> create(Call<CreateTokenRequest> c) {
    CreateTokenRequest r = c.request();
    TokenStore store = access.tokens();
    return CompletableFuture.supplyAsync(
            () ->
                written(
                    () ->
                        store.create(
                            r.getName(),
                            r.getScopesList(),
                            r.getZonesList(),
                            r.getExpiresInS(),
                            millis.getAsLong())),
            io)
        .thenApply(
            made -> {
              StoredToken t = made.token();
              access
                  .audit()
                  .admin(
                      c.caller(),
                      "tokens.create",
                      "made token '"
                          + t.name()
                          + "' ("
                          + t.id()
                          + ") scopes "
                          + t.info().getScopesList(),
                      "ok");
              return CreateTokenReply.newBuilder()
                  .setToken(t.info())
                  .setSecret(made.secret())
                  .build();
            });
  }

  CompletionStage<RevokeTokenReply> revoke(Call<Empty> c) {
    String id = c.param("id");
    TokenStore store = access.tokens();
    return CompletableFuture.supplyAsync(
            () -> written(() -> store.revoke(id, millis.getAsLong())), io)
        .thenApply(
            t -> {
              int closed = closeSockets.applyAsInt(t.id());
              if (closed > 0) {
                access.audit().socketsClosed(t.principal(), closed, "token revoked");
              }
              return RevokeTokenReply.newBuilder()
                  .setToken(t.info())
                  .setClosedSockets(closed)
                  .build();
            });
  }

  CompletionStage<TicketReply> ticket(Call<Empty> c) {
    String ticket = access.issueTicket(c.caller().principal());
    return CompletableFuture.completedFuture(
        TicketReply.newBuilder().setTicket(ticket).setExpiresInMs(Tickets.TTL_MS).build());
  }

  /** A store change whose file write may fail. */
  private interface Write<T> {
    T run() throws IOException;
  }

  private static <T> T written(Write<T> w) {
    try {
      return w.run();
    } catch (IOException e) {
      throw new CompletionException(
          new DomainException(
              DomainException.Kind.INTERNAL,
              "storage_failed",
              "cannot write the token file: " + e.getMessage()));
    } catch (UncheckedIOException e) {
      throw new CompletionException(e.getCause());
    }
  }
}
