package io.tonearm.daemon.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The platform's per-user data directory for Tonearm, used when no {@code --data-dir} is given:
 * {@code $XDG_DATA_HOME/tonearm} or {@code ~/.local/share/tonearm} on Linux and other Unix systems
 * (XDG Base Directory Specification), {@code ~/Library/Application Support/Tonearm} on macOS, and
 * {@code %LOCALAPPDATA%\Tonearm} on Windows. Never relative to the working directory.
 */
public final class DataDir {
  private DataDir() {}

  /** The default for this process: its OS, environment and home directory. */
  public static Path platformDefault(Map<String, String> env) {
    return platformDefault(System.getProperty("os.name", ""), env, System.getProperty("user.home"));
  }

  /**
   * The default for a given OS name (as in the {@code os.name} property), environment and home. An
   * empty {@code LOCALAPPDATA} falls back to {@code AppData\Local} in the home directory; an {@code
   * XDG_DATA_HOME} that is empty or relative is ignored, as the XDG specification says.
   */
  public static Path platformDefault(String osName, Map<String, String> env, String home) {
    String os = osName.toLowerCase(Locale.ROOT);
    Path user = Path.of(home);
    if (os.startsWith("windows")) {
      String local = env.get("LOCALAPPDATA");
      return (local == null || local.isEmpty()
              ? user.resolve("AppData").resolve("Local")
              : Path.of(local))
          .resolve("Tonearm");
    }
    if (os.startsWith("mac")) {
      return user.resolve("Library").resolve("Application Support").resolve("Tonearm");
    }
    Path xdg = absolute(env.get("XDG_DATA_HOME"));
    return (xdg != null ? xdg : user.resolve(".local").resolve("share")).resolve("tonearm");
  }

  private static Path absolute(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    Path p = Path.of(value);
    return p.isAbsolute() ? p : null;
  }
}
