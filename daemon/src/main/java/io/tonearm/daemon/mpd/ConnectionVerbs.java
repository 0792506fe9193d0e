package io.tonearm.daemon.mpd;

import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.access.Principal;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.decode.DecoderPlugin;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.errors.DomainException;
import java.util.Locale;

/**
 * The connection's own commands: {@code ping}, {@code close}, {@code password}, {@code commands},
 * {@code notcommands}, {@code tagtypes}, {@code urlhandlers}, {@code decoders}, {@code
 * binarylimit}.
 */
final class ConnectionVerbs {
  private ConnectionVerbs() {}

  static void register(MpdService.Shared s) {
    s.table()
        .now("ping", 0, 0, VerbTable.ANYONE, c -> {})
        .now("close", 0, 0, VerbTable.ANYONE, c -> c.session().requestClose())
        .now("password", 1, 1, VerbTable.ANYONE, c -> password(s, c))
        .now("commands", 0, 0, VerbTable.ANYONE, c -> list(s, c, true))
        .now("notcommands", 0, 0, VerbTable.ANYONE, c -> list(s, c, false))
        .now("urlhandlers", 0, 0, Scope.READ, c -> {})
        .now(
            "decoders",
            0,
            0,
            Scope.READ,
            c -> {
              for (DecoderPlugin p : Decoders.plugins()) {
                c.reply().field("plugin", p.name());
              }
            })
        .now(
            "binarylimit",
            1,
            1,
            VerbTable.ANYONE,
            c -> {
              int n = Args.unsigned(c.arg(0));
              if (n < Session.MIN_BINARY_LIMIT || n > Session.MAX_BINARY_LIMIT) {
                throw AckException.arg(
                    "Value out of range ("
                        + Session.MIN_BINARY_LIMIT
                        + "-"
                        + Session.MAX_BINARY_LIMIT
                        + ")");
              }
              c.session().binaryLimit(n);
            })
        .now("tagtypes", 0, -1, VerbTable.ANYONE, ConnectionVerbs::tagtypes);
  }

  /**
   * {@code password TOKEN}: the connection acts as that token from now on, with its scopes as
   * permissions (replacing what it had, as MPD's password does). A token that is unknown, revoked,
   * expired or malformed is MPD's {@code ACK [3@n] {password} incorrect password}, and the
   * connection keeps what it had; the failure counts toward the address's failed authentications
   * and is on the audit log (without the secret), as over HTTP.
   */
  private static void password(MpdService.Shared s, Verb c) {
    Principal p;
    try {
      p = s.access().authenticate(Access.Credentials.password(c.arg(0)), c.session().address());
    } catch (DomainException e) {
      if (e.kind() == DomainException.Kind.TOO_MANY) {
        throw new AckException(AckException.PASSWORD, e.getMessage()); // not checked at all
      }
      throw new AckException(AckException.PASSWORD, "incorrect password");
    }
    if (!c.session().actAs(p)) {
      throw new AckException(
          AckException.PASSWORD,
          "token '"
              + p.name()
              + "' has its most connections open (--max-sockets-per-token); close one first");
    }
  }

  /** {@code commands} (allowed) or {@code notcommands}: by the connection's permissions now. */
  private static void list(MpdService.Shared s, Verb c, boolean allowed) {
    Principal p = c.session().principal();
    for (VerbTable.Command k : s.table().all()) {
      if (k.allows(p) == allowed) {
        c.reply().field("command", k.name());
      }
    }
  }

  private static void tagtypes(Verb c) {
    if (!c.has(0)) {
      for (String t : Songs.TAG_TYPES) {
        if (c.session().tags().contains(t)) {
          c.reply().field("tagtype", Songs.display(t));
        }
      }
      return;
    }
    String sub = c.arg(0);
    switch (sub) {
      case "all" -> c.session().tags().addAll(Songs.TAG_TYPES);
      case "clear" -> c.session().tags().clear();
      case "enable", "disable" -> {
        if (!c.has(1)) {
          throw AckException.arg("Not enough arguments");
        }
        for (String t : c.args().subList(1, c.args().size())) {
          String lower = t.toLowerCase(Locale.ROOT);
          if (!Songs.known(lower)) {
            throw AckException.arg("Unknown tag type: " + t);
          }
          if (Songs.display(lower) == null) {
            continue; // a tag type Tonearm does not store
          }
          if (sub.equals("enable")) {
            c.session().tags().add(lower);
          } else {
            c.session().tags().remove(lower);
          }
        }
      }
      default -> throw AckException.arg("Unknown sub command");
    }
  }
}
