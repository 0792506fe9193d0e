package io.tonearm.daemon.mpd;

import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.command.CommandRunner;
import io.tonearm.daemon.command.CommandTable;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.library.Library;
import io.tonearm.daemon.library.LibraryBrowser;
import io.tonearm.daemon.player.Player;
import io.tonearm.daemon.playlists.Playlists;
import io.tonearm.daemon.settings.Settings;
import io.tonearm.proto.v1.MusicFolder;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * MPD's protocol over Tonearm's domains: the command table, the idle bus and the database tree. One
 * per daemon, shared by every MPD connection; thread-safe. Commands complete on whichever domain
 * thread answers (player, library reader); the connection hops back to its event loop.
 *
 * <p>Construct it before the player starts so that the {@link IdleBus} (added to the event hub by
 * the caller) sees the queue from its first event.
 */
public final class MpdService {

  /** The protocol version in the greeting: the MPD release whose protocol this follows. */
  public static final String PROTOCOL_VERSION = "0.23.5";

  private final VerbTable table = new VerbTable();
  private final TrackIndex index;
  private final IdleBus bus;
  private final Channels channels;
  private final CommandRunner commands;

  /**
   * @param commands Tonearm's command table (an MPD verb that does what one of its commands does
   *     takes that command's scope) and the rate limits every edge applies
   * @param access checks the tokens given with {@code password}
   */
  public MpdService(
      Player player,
      Library library,
      Playlists playlists,
      Settings settings,
      CommandRunner commands,
      Access access) {
    this.index = new TrackIndex(new LibraryBrowser(library), () -> folderRoots(library));
    this.bus = new IdleBus(index);
    this.channels = new Channels(() -> bus.emit(IdleBus.Subsystem.SUBSCRIPTION.bit()));
    this.commands = commands;
    Shared s =
        new Shared(
            player,
            library,
            playlists,
            settings,
            index,
            bus,
            channels,
            table,
            commands.table(),
            access);
    StatusVerbs.register(s);
    PlaybackVerbs.register(s);
    QueueVerbs.register(s);
    DatabaseVerbs.register(s);
    PlaylistVerbs.register(s);
    OutputVerbs.register(s);
    CrossfadeVerbs.register(s);
    ConnectionVerbs.register(s);
    MessageVerbs.register(s);
    StickerVerbs.register(s);
    FileVerbs.register(s);
    table.connectionCommand("idle", Scope.READ).connectionCommand("noidle", VerbTable.ANYONE);
  }

  /** Each music folder's real path by id; none when the database cannot be read now. */
  private static Map<String, Path> folderRoots(Library library) {
    Map<String, Path> out = new HashMap<>();
    try {
      for (MusicFolder f : library.folders().list()) {
        out.put(f.getId(), Path.of(f.getPath()));
      }
    } catch (SQLException | RuntimeException e) {
      return Map.of(); // directories are listed without a time rather than not at all
    }
    return out;
  }

  /** The bus to add to the event hub (and to which connections subscribe for idle). */
  public IdleBus bus() {
    return bus;
  }

  /** A connection closed: it leaves its channels and its unread messages are dropped. */
  public void closed(Session session) {
    Channels.Mailbox m = session.mailboxIfAny();
    if (m != null) {
      channels.close(m);
    }
  }

  /** What every group of verbs needs. */
  record Shared(
      Player player,
      Library library,
      Playlists playlists,
      Settings settings,
      TrackIndex index,
      IdleBus bus,
      Channels channels,
      VerbTable table,
      CommandTable commands,
      Access access) {

    /**
     * The scope of Tonearm's command (or HTTP-only route) {@code name}: an MPD verb doing what it
     * does needs the same.
     *
     * @throws IllegalArgumentException when the table has no such command (a wiring mistake)
     */
    Scope scopeOf(String name) {
      return commands
          .byName(name)
          .map(c -> c.scope())
          .or(
              () ->
                  commands.httpOnly().stream()
                      .filter(r -> r.name().equals(name))
                      .map(CommandTable.HttpRoute::scope)
                      .findFirst())
          .orElseThrow(() -> new IllegalArgumentException("no command " + name));
    }
  }

  /**
   * Runs one command. The stage completes normally after the reply is written, or exceptionally
   * with an {@link AckException} (its code and message; the caller adds index and name).
   */
  public CompletionStage<Void> execute(CommandLine line, Reply reply, Session session) {
    VerbTable.Command c = table.get(line.name());
    if (c == null) {
      return CompletableFuture.failedFuture(
          new AckException(AckException.UNKNOWN, "unknown command \"" + line.name() + "\""));
    }
    try {
      admit(c, session);
      VerbTable.checkArgs(c, line.args().size());
      return c.handler().run(new Verb(c.name(), line.args(), reply, session));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Lets the connection run {@code name} now, or refuses as MPD does: {@code ACK [4@n] {name} you
   * don't have permission for "name"} when its principal lacks the command's scope, and a refusal
   * past the rate limits of the connection's token and address (the same limits as HTTP's).
   *
   * @param name a command the connection runs itself ({@code idle})
   * @throws AckException when refused
   */
  public void admit(String name, Session session) {
    admit(table.declared(name), session);
  }

  private void admit(VerbTable.Command c, Session session) {
    if (!c.allows(session.principal())) {
      throw new AckException(
          AckException.PERMISSION, "you don't have permission for \"" + c.name() + "\"");
    }
    try {
      commands.admit(session.caller(), "mpd." + c.name(), c.scope());
    } catch (DomainException e) {
      throw ack(e);
    }
  }

  /** True when {@code name} is a command of the table (not one the connection handles). */
  public boolean known(String name) {
    return table.get(name) != null;
  }

  /** Any failure as an ACK: domain and API errors by kind, anything else as a system error. */
  public static AckException ack(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof AckException a) {
      return a;
    }
    if (t instanceof DomainException d) {
      int code =
          switch (d.kind()) {
            case NOT_FOUND -> AckException.NO_EXIST;
            case FORBIDDEN, UNAUTHENTICATED -> AckException.PERMISSION;
            case CONFLICT ->
                d.code().equals("conflict") ? AckException.PLAYER_SYNC : AckException.EXIST;
            case TOO_LARGE -> AckException.PLAYLIST_MAX;
            case TOO_MANY -> AckException.SYSTEM;
            case INVALID, UNPROCESSABLE -> AckException.ARG;
            default -> AckException.SYSTEM;
          };
      return new AckException(code, d.getMessage());
    }
    return new AckException(AckException.SYSTEM, String.valueOf(t.getMessage()));
  }
}
