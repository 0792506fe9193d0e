package io.tonearm.daemon;

import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.config.ConfigLoader;
import java.net.BindException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar tonearm-daemon.jar [options]}: runs the daemon until SIGTERM or SIGINT. */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(ConfigLoader.usage());
      return;
    }
    Config config;
    try {
      config = ConfigLoader.load(args, System.getenv());
    } catch (ConfigLoader.ConfigException e) {
      System.err.println("tonearm: " + e.getMessage());
      System.exit(2);
      return;
    }
    Daemon daemon;
    try {
      daemon = Daemon.start(config);
    } catch (Exception e) {
      boolean busy =
          e instanceof BindException || String.valueOf(e.getMessage()).contains("in use");
      System.err.println(
          "tonearm: "
              + (busy
                  ? "cannot listen on " + config.bind() + ":" + config.port() + ": address in use"
                  : "cannot start: " + e.getMessage()));
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(daemon), "tonearm-shutdown"));
    stopped.await();
  }

  /**
   * Closes the daemon (sockets with 1001, state saved, jobs cancelled); if that has not finished
   * within {@value #STOP_MILLIS} ms, whatever runs (a walk, a file read, a stuck device), halts the
   * process: SIGTERM always stops the daemon within 2 s. State, library and journal writes are
   * crash-safe, so a halt loses nothing acknowledged.
   */
  private static void stop(Daemon daemon) {
    Thread closer = new Thread(daemon::close, "tonearm-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(STOP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closer.isAlive()) {
      System.err.println("tonearm: not stopped within " + STOP_MILLIS + " ms; halting");
      Runtime.getRuntime().halt(EXIT_SIGTERM);
    }
  }

  /** How long a clean stop may take before the process halts. */
  static final long STOP_MILLIS = 1_500;

  /** The status a JVM ends with after SIGTERM (128 + 15). */
  private static final int EXIT_SIGTERM = 143;
}
