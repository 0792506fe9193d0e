package io.tonearm.client;

import com.google.protobuf.Empty;
import io.tonearm.proto.v1.CreateTokenReply;
import io.tonearm.proto.v1.CreateTokenRequest;
import io.tonearm.proto.v1.RevokeTokenReply;
import io.tonearm.proto.v1.TicketReply;
import io.tonearm.proto.v1.TokenList;
import java.util.List;
import java.util.Objects;

/**
 * Access tokens ({@code /api/v1/tokens}, scope {@code admin}) and socket tickets ({@code
 * /api/v1/auth/ticket}, scope {@code read}). Immutable and thread-safe; get it from {@link
 * TonearmClient#tokens()}.
 */
public final class TokenCalls {

  private static final String BASE = "/api/v1/tokens";
  private final Requests r;

  TokenCalls(Requests r) {
    this.r = r;
  }

  /** Every token (no secrets), revoked ones included. */
  public Call<TokenList> list() {
    return r.get(BASE, TokenList.parser());
  }

  /**
   * Makes a token; its secret is in the reply and nowhere else, ever.
   *
   * @param scopes at least one of {@code read}, {@code control}, {@code library}, {@code admin}
   * @param zones zones it is limited to; empty for every zone
   * @param expiresInSeconds lifetime, 0 for a token that does not expire
   */
  public Call<CreateTokenReply> create(
      String name, List<String> scopes, List<String> zones, long expiresInSeconds) {
    Objects.requireNonNull(name, "name");
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("a token needs at least one scope");
    }
    if (expiresInSeconds < 0) {
      throw new IllegalArgumentException("expiresInSeconds must not be negative");
    }
    return r.send(
        "POST",
        BASE,
        CreateTokenRequest.newBuilder()
            .setName(name)
            .addAllScopes(scopes)
            .addAllZones(zones)
            .setExpiresInS(expiresInSeconds)
            .build(),
        CreateTokenReply.parser());
  }

  /** Revokes a token by its public id; its open sockets are closed with 4003. */
  public Call<RevokeTokenReply> revoke(String id) {
    return r.send(
        "DELETE",
        BASE + "/" + Requests.enc(Requests.id("id", id)),
        null,
        RevokeTokenReply.parser());
  }

  /** A one-use ticket (30 s) for opening {@code /ws?ticket=} without the token in the URL. */
  public Call<TicketReply> ticket() {
    return r.send("POST", "/api/v1/auth/ticket", Empty.getDefaultInstance(), TicketReply.parser());
  }
}
