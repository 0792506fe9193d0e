package io.tonearm.daemon.mpd;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Every MPD command Tonearm answers, in one sorted table (MPD's {@code AllCommands.cxx} is the
 * model): its name, how many arguments it takes and its handler. Built once, then read-only.
 */
public final class VerbTable {

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
   */
  public record Command(String name, int min, int max, Handler handler) {}

  private final Map<String, Command> commands = new TreeMap<>();
  private final java.util.Set<String> connectionCommands = new java.util.TreeSet<>();

  /** Adds an asynchronous command. */
  public VerbTable add(String name, int min, int max, Handler handler) {
    if (commands.put(name, new Command(name, min, max, handler)) != null) {
      throw new IllegalArgumentException("command declared twice: " + name);
    }
    return this;
  }

  /** Adds a command that finishes before it returns. */
  public VerbTable now(String name, int min, int max, Now body) {
    return add(
        name,
        min,
        max,
        c -> {
          body.run(c);
          return CompletableFuture.completedFuture(null);
        });
  }

  /**
   * Declares a command the connection runs itself ({@code idle}, {@code noidle}): listed by {@code
   * commands}, never dispatched here.
   */
  public VerbTable connectionCommand(String name) {
    connectionCommands.add(name);
    return this;
  }

  public Command get(String name) {
    return commands.get(name);
  }

  /** The names in order, for {@code commands}. */
  public Collection<String> names() {
    java.util.Set<String> all = new java.util.TreeSet<>(commands.keySet());
    all.addAll(connectionCommands);
    return all;
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
