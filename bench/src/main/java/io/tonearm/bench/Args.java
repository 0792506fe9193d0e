package io.tonearm.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scenario's command line: {@code --name value}, {@code --name=value} and bare {@code --flag}
 * (true), plus the positional words before the first flag (a scan's corpus). Typed getters with
 * defaults; a malformed value is an {@link IllegalArgumentException} naming the flag, which {@link
 * Bench} prints with the usage and exit code 2.
 *
 * <p>Flags every scenario understands: {@code --report DIR} (alias {@code --report-dir}) where its
 * JSON and Markdown reports go, {@code --url URL --token TOKEN [--pid PID]} for the load scenarios
 * to drive an already running daemon, {@code --against-mpd} where MPD has the same operation.
 */
final class Args {

  /** Where reports go unless {@code --report} says otherwise. */
  static final Path DEFAULT_REPORT_DIR = Path.of("bench/target/reports");

  private final Map<String, String> values = new HashMap<>();
  private final List<String> positional = new ArrayList<>();
  private final String commandLine;

  Args(String[] args, int from) {
    this.commandLine = String.join(" ", args);
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        if (!values.isEmpty()) {
          throw new IllegalArgumentException("expected --flag, got " + a);
        }
        positional.add(a);
        continue;
      }
      if (a.length() == 2) {
        throw new IllegalArgumentException("a flag needs a name: --");
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        values.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(a.substring(2), args[++i]);
      } else {
        values.put(a.substring(2), "true");
      }
    }
  }

  int integer(String name, int fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " expects an integer, got '" + v + "'");
    }
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean flag(String name) {
    String v = values.get(name);
    if (v == null) {
      return false;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException("--" + name + " takes no value (got '" + v + "')");
    };
  }

  /** The whole command line as given (scenario and flags), for the report. */
  String commandLine() {
    return commandLine;
  }

  /** The positional words before the first flag. */
  List<String> positional() {
    return List.copyOf(positional);
  }

  /** {@code --report DIR} or {@code --report-dir DIR}, else {@link #DEFAULT_REPORT_DIR}. */
  Path reportDir() {
    String v = values.getOrDefault("report", values.get("report-dir"));
    if ("true".equals(v)) {
      throw new IllegalArgumentException("--report needs a directory");
    }
    return v == null ? DEFAULT_REPORT_DIR : Path.of(v);
  }

  /**
   * The running daemon named by {@code --url} ({@code http://host:port} or {@code
   * https://host:port}, no path), or null when the scenario is to start its own.
   */
  URI url() {
    String v = values.get("url");
    if (v == null) {
      if (values.containsKey("token") || values.containsKey("pid")) {
        throw new IllegalArgumentException("--token and --pid go with --url");
      }
      return null;
    }
    URI u;
    try {
      u = URI.create(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url is not a URL: '" + v + "'");
    }
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
      throw new IllegalArgumentException("--url must be http://host:port or https://host:port");
    }
    if (u.getHost() == null || u.getPort() < 0) {
      throw new IllegalArgumentException("--url needs a host and a port: '" + v + "'");
    }
    if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
      throw new IllegalArgumentException("--url takes no path: '" + v + "'");
    }
    return URI.create(u.getScheme() + "://" + u.getHost() + ":" + u.getPort());
  }
}
