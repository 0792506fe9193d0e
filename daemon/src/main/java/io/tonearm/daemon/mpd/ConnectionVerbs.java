package io.tonearm.daemon.mpd;

import io.tonearm.daemon.decode.DecoderPlugin;
import io.tonearm.daemon.decode.Decoders;
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
        .now("ping", 0, 0, c -> {})
        .now("close", 0, 0, c -> c.session().requestClose())
        // The MPD port does not check Tonearm's access tokens yet, so no password can grant
        // anything: a clear refusal (MPD's answer to a wrong password) rather than an OK that
        // would pretend to. The connection can already do everything. See docs/MPD.md.
        .now(
            "password",
            1,
            1,
            c -> {
              throw new AckException(
                  AckException.PASSWORD,
                  "incorrect password: the MPD port does not use Tonearm's access tokens yet;"
                      + " this connection may already use every command");
            })
        .now(
            "commands",
            0,
            0,
            c -> {
              for (String name : s.table().names()) {
                c.reply().field("command", name);
              }
            })
        .now("notcommands", 0, 0, c -> {})
        .now("urlhandlers", 0, 0, c -> {})
        .now(
            "decoders",
            0,
            0,
            c -> {
              for (DecoderPlugin p : Decoders.plugins()) {
                c.reply().field("plugin", p.name());
              }
            })
        .now(
            "binarylimit",
            1,
            1,
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
        .now("tagtypes", 0, -1, ConnectionVerbs::tagtypes);
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
