package io.tonearm.bench.floor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two floors for {@code peerbench.py latency tonearm}: servers that do only what that exchange
 * needs (a volume command over keep-alive HTTP POST, answered with {@code {"seq":N,"state":
 * {"volume":V}}}, then one JSON text frame with {@code "player"} and the volume to every WebSocket
 * on {@code /ws}), so that the harness's figures for Tonearm can be read against what the JVM and
 * Netty cost before any of Tonearm's own code runs. Not servers for anything else: no journal, no
 * state, no validation beyond the exchange's.
 *
 * <pre>
 * java [README options] -cp bench/target/tonearm-bench.jar io.tonearm.bench.floor.FloorServer \
 *     --kind netty|nio --port 7190
 * </pre>
 *
 * {@code netty}: the daemon's transport (epoll) with Netty's stock HTTP and WebSocket codecs;
 * {@code nio}: one JDK selector thread with the request head, the upgrade and the frames written by
 * hand. Other flags (peer-latency.sh passes {@code --data-dir} and {@code --music}) are ignored.
 */
public final class FloorServer {

  private static final Pattern VOLUME = Pattern.compile("\"volume\"\\s*:\\s*(\\d+)");

  private FloorServer() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "FloorServer: " + e.getMessage() + "\nusage: --kind netty|nio --port PORT");
      System.exit(2);
      return;
    }
    if (o.kind().equals("nio")) {
      NioFloor.run(o.port());
    } else {
      NettyFloor.run(o.port());
    }
  }

  /**
   * {@code --kind netty|nio} (netty) and {@code --port 1-65535} (7190); other flags are skipped.
   */
  record Options(String kind, int port) {
    static Options parse(String[] args) {
      String kind = "netty";
      int port = 7190;
      for (int i = 0; i < args.length; i++) {
        boolean ours = args[i].equals("--kind") || args[i].equals("--port");
        if (ours && i + 1 == args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        if (args[i].equals("--kind")) {
          kind = args[++i];
          if (!kind.equals("netty") && !kind.equals("nio")) {
            throw new IllegalArgumentException("--kind netty|nio, got '" + kind + "'");
          }
        } else if (args[i].equals("--port")) {
          String v = args[++i];
          try {
            port = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            port = -1;
          }
          if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("--port 1-65535, got '" + v + "'");
          }
        }
      }
      return new Options(kind, port);
    }
  }

  /** The volume of a {@code {"volume":N}} body, 0-100, or -1. */
  static int volume(String body) {
    Matcher m = VOLUME.matcher(body);
    if (!m.find()) {
      return -1;
    }
    String digits = m.group(1);
    int v = digits.length() <= 3 ? Integer.parseInt(digits) : Integer.MAX_VALUE;
    return v <= 100 ? v : -1;
  }

  static String reply(long seq, int volume) {
    return "{\"seq\":" + seq + ",\"state\":{\"volume\":" + volume + "}}";
  }

  static String event(long seq, int volume) {
    return "{\"seq\":" + seq + ",\"player\":{\"volume\":" + volume + "}}";
  }
}
