package io.tonearm.daemon;

import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.config.ConfigLoader;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** {@code java -jar tonearm-daemon.jar [options]}: runs the daemon until SIGTERM or SIGINT. */
public final class Main {

  private Main() {}

  /** A one-line reason why the daemon could not start, naming what the user gave. */
  static String describe(Config config, Throwable e) {
    String where = "cannot listen on " + config.bind() + ":" + config.port() + ": ";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return where
            + "the --bind name does not resolve (give an address of this machine, e.g. 127.0.0.1,"
            + " 0.0.0.0 or its LAN address)";
      }
      if (t instanceof BindException) {
        String m = String.valueOf(t.getMessage());
        return where
            + (m.contains("in use")
                ? "address in use (another tonearm? choose another --port)"
                : m.contains("assign") ? "not an address of this machine (" + m + ")" : m);
      }
    }
    String m = e.getMessage();
    return "cannot start: " + (m == null || m.isBlank() ? e.toString() : m);
  }

  public static void main(String[] args) throws InterruptedException {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(ConfigLoader.usage());
      return;
    }
    withoutNettyFlightRecorderEvents();
    boolean relay = args.length > 0 && args[0].equals("relay");
    if (relay) {
      args = Arrays.copyOfRange(args, 1, args.length);
    }
    Config config;
    io.tonearm.daemon.config.RedisConfig redis;
    try {
      config = ConfigLoader.load(args, System.getenv(), relay);
      redis = ConfigLoader.redis(args, System.getenv(), relay);
    } catch (ConfigLoader.ConfigException e) {
      System.err.println("tonearm: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Before the first line is logged: ops.Logging writes the log file there.
    System.setProperty(
        "tonearm.log.dir", config.dataDir().toAbsolutePath().resolve("logs").toString());
    // jaudiotagger and the JDK log through java.util.logging: one format, one console, via SLF4J.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    warnWithoutExitOnOutOfMemory();
    if (relay) {
      runRelay(config, redis);
      return;
    }
    Daemon daemon;
    try {
      daemon = Daemon.start(config, redis);
    } catch (Exception e) {
      System.err.println("tonearm: " + describe(config, e));
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(daemon), "tonearm-shutdown"));
    stopped.await();
  }

  /** Runs a relay until SIGTERM or SIGINT. */
  private static void runRelay(Config config, io.tonearm.daemon.config.RedisConfig redis)
      throws InterruptedException {
    RelayNode node;
    try {
      node =
          RelayNode.start(
              config,
              redis,
              new io.tonearm.daemon.relay.OriginCommands(
                  redis.origin(), config.security().trustLoopback()));
    } catch (Exception e) {
      System.err.println("tonearm relay: " + describe(config, e));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "tonearm-shutdown"));
    new CountDownLatch(1).await();
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

  /**
   * Netty defines JFR events for its buffer allocator and, unless told otherwise, registers them
   * with the flight recorder as soon as it allocates: that initializes JFR's event metadata (about
   * 140 classes and 1.5 MB of heap, issue 13's idle resident set) in a daemon that records nothing.
   * {@code -Dio.netty.jfr.enabled=true} on the command line still turns them on for a recording.
   * Must run before the first Netty class is loaded.
   */
  static void withoutNettyFlightRecorderEvents() {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  /**
   * True when {@code args} (the process's command line) set {@code -XX:+FLAG} last and nothing else
   * the JVM reads could change it: no option in {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}
   * or {@code _JAVA_OPTIONS} names the flag or a file of options, and no argument is an
   * {@code @argfile} or names an options file. False means "not known here": the caller asks the
   * JVM.
   */
  static boolean onInCommandLine(String flag, List<String> args, Map<String, String> env) {
    for (String v : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
      String o = env.get(v);
      if (o != null
          && (o.contains(flag)
              || o.contains("@")
              || o.contains("Flags=")
              || o.contains("VMOptionsFile"))) {
        return false;
      }
    }
    boolean on = false;
    for (String a : args.subList(Math.min(1, args.size()), args.size())) { // after the program
      if (a.startsWith("@") || a.startsWith("-XX:Flags=") || a.startsWith("-XX:VMOptionsFile")) {
        return false;
      }
      if (a.equals("-XX:+" + flag)) {
        on = true;
      } else if (a.equals("-XX:-" + flag)) {
        on = false;
      } else if (a.equals("-jar") || !a.startsWith("-")) {
        break; // the JVM's options end here; the rest are the daemon's
      }
    }
    return on;
  }

  /** The process's arguments from {@code /proc/self/cmdline}, empty where there is none. */
  private static List<String> commandLine() {
    try {
      byte[] b = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/cmdline"));
      return List.of(new String(b, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
    } catch (java.io.IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** How long a clean stop may take before the process halts. */
  static final long STOP_MILLIS = 1_500;

  /** The status a JVM ends with after SIGTERM (128 + 15). */
  private static final int EXIT_SIGTERM = 143;

  /**
   * The JVM cannot turn on {@code ExitOnOutOfMemoryError} for itself once started; without it a
   * daemon that runs out of heap stays up answering nothing instead of ending for its supervisor to
   * restart. Says so at start (README shows the command).
   */
  private static void warnWithoutExitOnOutOfMemory() {
    if (onInCommandLine("ExitOnOutOfMemoryError", commandLine(), System.getenv())) {
      return; // known without the management bean and its classes (issue 13, idle RSS)
    }
    try {
      com.sun.management.HotSpotDiagnosticMXBean vm =
          java.lang.management.ManagementFactory.getPlatformMXBean(
              com.sun.management.HotSpotDiagnosticMXBean.class);
      if (!"true".equals(vm.getVMOption("ExitOnOutOfMemoryError").getValue())) {
        org.slf4j.LoggerFactory.getLogger(Main.class)
            .warn(
                "started without -XX:+ExitOnOutOfMemoryError: run"
                    + " java -Xms16m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10"
                    + " -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1"
                    + " -XX:CompileThresholdScaling=0.1"
                    + " -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData"
                    + " -XX:+ExitOnOutOfMemoryError -XX:+UnlockDiagnosticVMOptions"
                    + " -XX:AsyncDeflationInterval=10000 -jar tonearm-daemon.jar"
                    + " so that running out of heap ends the process for its supervisor");
      }
    } catch (RuntimeException e) {
      // not a HotSpot JVM: nothing to check
    }
  }
}
