package io.tonearm.daemon.mpd;

import io.tonearm.daemon.access.Scope;

/**
 * MPD's client-to-client commands over {@link Channels}: {@code subscribe}, {@code unsubscribe},
 * {@code channels}, {@code readmessages} (read permission) and {@code sendmessage} (control), with
 * MPD's replies and errors.
 */
final class MessageVerbs {
  private MessageVerbs() {}

  static void register(MpdService.Shared s) {
    Channels channels = s.channels();
    s.table()
        .now(
            "subscribe",
            1,
            1,
            Scope.READ,
            c -> {
              switch (channels.subscribe(c.session().mailbox(), c.arg(0))) {
                case OK -> {}
                case INVALID -> throw AckException.arg("invalid channel name");
                case ALREADY ->
                    throw new AckException(
                        AckException.EXIST, "already subscribed to this channel");
                case FULL ->
                    throw new AckException(AckException.EXIST, "subscription list is full");
              }
            })
        .now(
            "unsubscribe",
            1,
            1,
            Scope.READ,
            c -> {
              Channels.Mailbox m = c.session().mailboxIfAny();
              if (m == null || !channels.unsubscribe(m, c.arg(0))) {
                throw AckException.noExist("not subscribed to this channel");
              }
            })
        .now(
            "channels",
            0,
            0,
            Scope.READ,
            c -> {
              for (String name : channels.channels()) {
                c.reply().field("channel", name);
              }
            })
        .now(
            "readmessages",
            0,
            0,
            Scope.READ,
            c -> {
              Channels.Mailbox m = c.session().mailboxIfAny();
              if (m == null) {
                return;
              }
              for (Channels.Message msg : channels.read(m)) {
                c.reply().field("channel", msg.channel()).field("message", msg.text());
              }
            })
        .now(
            "sendmessage",
            2,
            2,
            Scope.CONTROL,
            c -> {
              if (!Channels.validName(c.arg(0))) {
                throw AckException.arg("invalid channel name");
              }
              if (!channels.send(c.arg(0), c.arg(1))) {
                throw AckException.noExist("nobody is subscribed to this channel");
              }
            });
  }
}
