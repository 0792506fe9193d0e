package io.tonearm.client.cli;

import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.CreateTokenReply;
import io.tonearm.proto.v1.RevokeTokenReply;
import io.tonearm.proto.v1.TokenInfo;
import io.tonearm.proto.v1.TokenList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code token list}, {@code token create --name N --scope S [--scope S]... [--zone Z]...
 * [--expires 30d]}, {@code token revoke ID}. Needs an admin token (or this machine, where loopback
 * is trusted).
 */
final class TokenCommand {
  private final TonearmClient client;
  private final Output o;

  TokenCommand(TonearmClient client, Output o) {
    this.client = client;
    this.o = o;
  }

  void run(Args a) {
    String sub = a.optional();
    switch (sub == null ? "list" : sub) {
      case "list" -> {
        a.end();
        TokenList l = client.tokens().list().execute();
        StringBuilder b = new StringBuilder();
        for (TokenInfo t : l.getTokensList()) {
          b.append(line(t)).append('\n');
        }
        o.print(l, b.toString().stripTrailing());
      }
      case "create" -> {
        String name = a.flag("--name");
        if (name == null) {
          throw new UsageException("token create needs --name NAME");
        }
        List<String> scopes = repeated(a, "--scope");
        if (scopes.isEmpty()) {
          throw new UsageException(
              "token create needs --scope (read, control, library, admin; repeatable)");
        }
        List<String> zones = repeated(a, "--zone");
        String expires = a.flag("--expires");
        a.end();
        CreateTokenReply r =
            client
                .tokens()
                .create(name, scopes, zones, expires == null ? 0 : seconds(expires))
                .execute();
        o.print(
            r,
            r.getSecret()
                + "\n"
                + line(r.getToken())
                + "\n(the secret above is shown once; pass it with --token or TONEARM_TOKEN)");
      }
      case "revoke" -> {
        String id = a.next("token id");
        a.end();
        RevokeTokenReply r = client.tokens().revoke(id).execute();
        o.print(
            r, "revoked " + line(r.getToken()) + "; closed " + r.getClosedSockets() + " sockets");
      }
      default -> throw new UsageException("unknown token command '" + sub + "'");
    }
  }

  private static List<String> repeated(Args a, String flag) {
    List<String> out = new ArrayList<>();
    for (String v = a.flag(flag); v != null; v = a.flag(flag)) {
      out.add(v);
    }
    return out;
  }

  /** {@code 90s}, {@code 15m}, {@code 12h}, {@code 30d} or plain seconds. */
  static long seconds(String s) {
    long unit =
        switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
          case 's' -> 1;
          case 'm' -> 60;
          case 'h' -> 3600;
          case 'd' -> 86_400;
          default -> 0;
        };
    String digits = unit == 0 ? s : s.substring(0, s.length() - 1);
    try {
      long n = Long.parseLong(digits);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n * (unit == 0 ? 1 : unit);
    } catch (NumberFormatException e) {
      throw new UsageException("--expires must be like 90s, 15m, 12h or 30d, got '" + s + "'");
    }
  }

  private static String line(TokenInfo t) {
    return String.format(
        "%s  %-20s %-26s zones %-10s %s%s",
        t.getId(),
        t.getName(),
        String.join(",", t.getScopesList()),
        t.getZonesCount() == 0 ? "all" : String.join(",", t.getZonesList()),
        t.getExpiresMs() == 0 ? "no expiry" : "expires " + Instant.ofEpochMilli(t.getExpiresMs()),
        t.getRevokedMs() != 0
            ? ", revoked " + Instant.ofEpochMilli(t.getRevokedMs())
            : t.getLastUsedMs() == 0
                ? ", never used"
                : ", last used " + Instant.ofEpochMilli(t.getLastUsedMs()));
  }
}
