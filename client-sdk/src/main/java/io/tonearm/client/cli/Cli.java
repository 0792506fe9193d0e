package io.tonearm.client.cli;

import io.tonearm.client.ServerErrorException;
import io.tonearm.client.TonearmClient;
import io.tonearm.client.TonearmException;
import io.tonearm.client.UnreachableException;
import io.tonearm.proto.v1.Job;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar client-sdk/target/tonearm-cli.jar [--host H] [--port N] [--token T] [--json]
 * COMMAND [ARGS]}: the {@code tonearm} command-line client, in the manner of {@code mpc}. Exit
 * codes: {@value #OK} ok, {@value #SERVER_ERROR} the daemon refused, {@value #USAGE} usage, {@value
 * #UNREACHABLE} daemon unreachable.
 */
public final class Cli {

  public static final int OK = 0;
  public static final int SERVER_ERROR = 1;
  public static final int USAGE = 2;
  public static final int UNREACHABLE = 3;

  /** Every command, in the order {@code help} lists them; completion uses the same list. */
  static final List<String> COMMANDS =
      List.of(
          "status",
          "play",
          "pause",
          "toggle",
          "stop",
          "next",
          "prev",
          "seek",
          "vol",
          "mute",
          "random",
          "repeat",
          "single",
          "consume",
          "queue",
          "search",
          "ls",
          "playlists",
          "outputs",
          "scan",
          "analyze",
          "watch",
          "meters",
          "token",
          "zone",
          "completion",
          "help");

  static final String USAGE_TEXT =
      """
      usage: tonearm [--host HOST] [--port PORT] [--token TOKEN] [--zone ZONE] [--tls-cert PEM] [--json] COMMAND [ARGS]

        status                      what plays, position, volume and modes
        play [POS]                  play (the item at queue position POS, from 1)
        pause | toggle | stop | next | prev
        seek [+-]TIME               TIME in seconds, MM:SS, H:MM:SS or N%; +/- is relative
        vol [+-]N                   volume 0-100, or up/down by N
        mute|random|single|consume [on|off]   flip, or set
        repeat [on|off|all|one]
        queue [list]                the queue, numbered from 1
        queue add track ID... | album ID | folder DIR | search WORDS | playlist ID | PATH...
        queue move POS TO | queue remove POS... | queue clear
        search WORDS [--limit N]    library tracks (id, artist, album, title)
        ls [DIR]                    browse the music folders
        playlists [list] | load ID | save NAME | delete ID
        outputs [list] | enable ID | disable ID
        scan [--full]               rescan the library, with progress and a summary
        analyze [TRACK_ID... | --all] [--missing]   loudness and ReplayGain analysis
        watch [--topics T,...] [--count N]   events as they happen
        meters [--fps N] [--count N]  a live level and loudness meter
        token [list]                the daemon's access tokens (needs admin, or this machine)
        token create --name N --scope S [--scope S]... [--zone Z]... [--expires 30d]
                                    makes a token (scopes: read, control, library, admin)
        token revoke ID             revokes it and closes its sockets
        zone [list] | create ID [NAME] | delete ID   the daemon's zones (players); create/delete need admin
        completion                  prints a bash completion script: source <(tonearm completion)

      --zone ZONE acts on and watches that zone's player (default: "default", or the token's one zone).
      --json prints protobuf JSON, one object per line. --tls-cert PEM speaks HTTPS/WSS to a daemon
      started with --tls-cert, trusting that certificate. Environment: TONEARM_HOST, TONEARM_PORT,
      TONEARM_TOKEN, TONEARM_ZONE, TONEARM_TLS_CERT. Exit codes: 0 ok, 1 the daemon refused, 2 usage, 3 daemon unreachable.""";

  private Cli() {}

  public static void main(String[] args) {
    // The jar carries no logging backend; SLF4J's notice about that is not for a CLI's users.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /** Runs one command line; returns the exit code. */
  public static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env) {
    List<String> words = new ArrayList<>(Arrays.asList(argv));
    String host = env.getOrDefault("TONEARM_HOST", "127.0.0.1");
    String port = env.getOrDefault("TONEARM_PORT", "7700");
    String token = env.get("TONEARM_TOKEN");
    String tlsCert = env.get("TONEARM_TLS_CERT");
    String zone = env.get("TONEARM_ZONE");
    boolean json = words.removeIf(w -> w.equals("--json")); // before or after the command
    while (!words.isEmpty() && words.get(0).startsWith("--")) {
      String opt = words.remove(0);
      switch (opt) {
        case "--host", "--port", "--token", "--tls-cert", "--zone" -> {
          if (words.isEmpty()) {
            err.println("tonearm: " + opt + " needs a value");
            return USAGE;
          }
          String v = words.remove(0);
          if (opt.equals("--host")) {
            host = v;
          } else if (opt.equals("--port")) {
            port = v;
          } else if (opt.equals("--tls-cert")) {
            tlsCert = v;
          } else if (opt.equals("--zone")) {
            zone = v;
          } else {
            token = v;
          }
        }
        case "--help" -> {
          out.println(USAGE_TEXT);
          return OK;
        }
        default -> {
          err.println("tonearm: unknown option " + opt + "\n" + USAGE_TEXT);
          return USAGE;
        }
      }
    }
    if (words.isEmpty()) {
      words.add("status");
    }
    String command = words.remove(0);
    Output o = new Output(out, err, json);
    if (command.equals("help")) {
      out.println(USAGE_TEXT);
      return OK;
    }
    if (command.equals("completion")) {
      out.print(Completion.bash());
      return OK;
    }
    if (!COMMANDS.contains(command)) {
      err.println("tonearm: unknown command '" + command + "' (tonearm help lists them)");
      return USAGE;
    }
    TonearmClient client;
    try {
      int p = Integer.parseInt(port);
      TonearmClient.Builder b =
          TonearmClient.builder()
              .host(host)
              .port(p)
              .token(token)
              .zone(zone == null || zone.isEmpty() ? null : zone)
              .connectTimeout(Duration.ofSeconds(3))
              .callTimeout(Duration.ofSeconds(30))
              .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));
      if (tlsCert != null && !tlsCert.isEmpty()) {
        b.trustCertificate(java.nio.file.Path.of(tlsCert));
      }
      client = b.build();
    } catch (IllegalArgumentException e) {
      err.println("tonearm: " + e.getMessage());
      return USAGE;
    }
    try (client) {
      dispatch(client, command, new Args(words), o);
      return OK;
    } catch (UsageException | IllegalArgumentException e) {
      err.println("tonearm " + command + ": " + e.getMessage());
      return USAGE;
    } catch (ServerErrorException e) {
      if (json) {
        err.println(Output.json(e.error()));
      } else {
        err.println("tonearm " + command + ": " + e.error().getMessage() + " (" + e.code() + ")");
      }
      return SERVER_ERROR;
    } catch (UnreachableException e) {
      err.println(
          "tonearm: cannot reach the Tonearm daemon at "
              + client.baseUri().getHost()
              + ":"
              + client.baseUri().getPort()
              + ": "
              + e.getMessage().replaceFirst("^.*unreachable: ", "")
              + ".\nIs it running? Start it with: java -jar daemon/target/tonearm-daemon.jar"
              + " (or set --host/--port, TONEARM_HOST/TONEARM_PORT)");
      return UNREACHABLE;
    } catch (TonearmException e) {
      err.println("tonearm " + command + ": " + e.getMessage());
      return SERVER_ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OK;
    }
  }

  private static void dispatch(TonearmClient client, String command, Args a, Output o)
      throws InterruptedException {
    switch (command) {
      case "queue" -> new QueueCommand(client, o).run(a);
      case "search" -> new LibraryCommands(client, o).search(a);
      case "ls" -> new LibraryCommands(client, o).ls(a);
      case "playlists" -> new PlaylistCommand(client, o).run(a);
      case "outputs" -> new OutputCommand(client, o).run(a);
      case "token" -> new TokenCommand(client, o).run(a);
      case "zone" -> new ZoneCommand(client, o).run(a);
      case "watch" -> new LiveCommands(client, o).watch(a);
      case "meters" -> new LiveCommands(client, o).meters(a);
      case "scan" -> {
        boolean full = a.option("--full");
        a.end();
        var r = client.library().scan(full, List.of()).execute();
        finish(o, new LiveCommands(client, o).follow(r.getJobId()));
      }
      case "analyze" -> {
        boolean all = a.option("--all");
        boolean missing = a.option("--missing");
        List<String> ids = a.rest();
        if (all == !ids.isEmpty()) {
          throw new UsageException("analyze needs track ids or --all (not both)");
        }
        var r =
            all
                ? client.analysis().analyzeAll(missing).execute()
                : client.analysis().analyze(ids, missing).execute();
        finish(o, new LiveCommands(client, o).follow(r.getJobId()));
      }
      default -> new PlayerCommands(client, o).run(command, a);
    }
  }

  /** Prints a finished job's summary; a failed job is a server error. */
  private static void finish(Output o, Job j) {
    o.print(
        j,
        String.format(
            "%s %s: %d/%d done, %d errors%s in %.1f s",
            j.getKind(),
            j.getState().name().replace("JOB_STATE_", "").toLowerCase(),
            j.getDone(),
            j.getTotal(),
            j.getErrorCount(),
            j.getFailure().isEmpty() ? "" : " (" + j.getFailure() + ")",
            (j.getFinishedMs() - Math.max(j.getStartedMs(), j.getCreatedMs())) / 1000.0));
    if (j.getState() == io.tonearm.proto.v1.JobState.JOB_STATE_FAILED) {
      throw new ServerErrorException(
          0,
          io.tonearm.proto.v1.Error.newBuilder()
              .setCode("job_failed")
              .setMessage(j.getFailure())
              .build());
    }
  }
}
