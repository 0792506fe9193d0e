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
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  daemon.close();
                  stopped.countDown();
                },
                "tonearm-shutdown"));
    stopped.await();
  }
}
