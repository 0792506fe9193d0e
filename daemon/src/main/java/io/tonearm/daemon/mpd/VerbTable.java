package io.tonearm.daemon.mpd;

import io.tonearm.daemon.access.Scope;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Every MPD command Tonearm answers, in one sorted table (MPD's {@code AllCommands.cxx} is the
 * model): its name, how many arguments it takes, the scope a connection needs for it and its
 * handler. A command that does what a command of Tonearm's own table does takes that command's
 * scope ({@link MpdService.Shared#scopeOf}), so a scope is declared once for every edge. Built
 * once, then read-only.
 */
public final class VerbTable {

  /** The scope of a command every connection may use (MPD's {@code PERMISSION_NONE}). */
  public static final Scope ANYONE = null;

  /** A command's body: writes its reply and completes (exceptionally with an AckException). */
  @FunctionalInterface
  public interface Handler {
    CompletionStage<Void> run(Verb call);
  }

  /** A synchronous body. */
  @FunctionalInterface
  public interface Now {
    void run(Verb call);
  }

  /**
   * @param min fewest arguments
   * @param max most arguments, -1 for any number
   * @param scope what the connection's principal needs; {@link #ANYONE} (null) for nothing
   * @param handler the body; null for a command the connection runs itself ({@code idle})
   */
  public record Command(String name, int min, int max, Scope scope, Handler handler) {

    /**
     * True when {@code p}'s scopes allow this command, and for a command that needs a scope, when
     * {@code p} may use the zone "default": the MPD port speaks for that zone's player, so a token
     * limited to other zones may only ping, close and give a password here.
     */
    public boolean allows(io.tonearm.daemon.access.Principal p) {
      return scope == null
          || (p.has(scope) && p.allowsZone(io.tonearm.daemon.events.ZoneId.DEFAULT));
    }
  }

  private final Map<String, Command> commands = new TreeMap<>();
  private final Map<String, Command> connectionCommands = new TreeMap<>();

  /** Adds an asynchronous command. */
  public VerbTable add(String name, int min, int max, Scope scope, Handler handler) {
    if (commands.containsKey(name) || connectionCommands.containsKey(name)) {
      throw new IllegalArgumentException("command declared twice: " + name);
    }
    commands.put(name, new Command(name, min, max, scope, handler));
    return this;
  }

  /** Adds a command that finishes before it returns. */
  public VerbTable now(String name, int min, int max, Scope scope, Now body) {
    return add(
        name,
        min,
        max,
        scope,
        c -> {
          body.run(c);
          return CompletableFuture.completedFuture(null);
        });
  }

  /**
   * Declares a command the connection runs itself ({@code idle}, {@code noidle}): listed by {@code
   * commands} when {@code scope} allows, never dispatched here.
   */
  public VerbTable connectionCommand(String name, Scope scope) {
    if (commands.containsKey(name)
        || connectionCommands.put(name, new Command(name, 0, -1, scope, null)) != null) {
      throw new IllegalArgumentException("command declared twice: " + name);
    }
    return this;
  }

  /** A command the table dispatches, or null. */
  public Command get(String name) {
    return commands.get(name);
  }

  /** A command of either kind (dispatched or the connection's own), or null. */
  public Command declared(String name) {
    Command c = commands.get(name);
    return c != null ? c : connectionCommands.get(name);
  }

  /** Every command in name order, for {@code commands} and {@code notcommands}. */
  public Collection<Command> all() {
    Map<String, Command> all = new TreeMap<>(commands);
    all.putAll(connectionCommands);
    return all.values();
  }

  /**
   * Checks the argument count as MPD does.
   *
   * @throws AckException 2 "wrong number / too few / too many arguments"
   */
  static void checkArgs(Command c, int n) {
    if (c.min() == c.max() && n != c.max()) {
      throw AckException.arg("wrong number of arguments for \"" + c.name() + "\"");
    }
    if (n < c.min()) {
      throw AckException.arg("too few arguments for \"" + c.name() + "\"");
    }
    if (c.max() >= 0 && n > c.max()) {
      throw AckException.arg("too many arguments for \"" + c.name() + "\"");
    }
  }
}
