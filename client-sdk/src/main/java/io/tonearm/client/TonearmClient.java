package io.tonearm.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tonearm.client.internal.HttpCalls;
import io.tonearm.client.internal.StreamRunner;
import io.tonearm.client.internal.Tls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A client of one Tonearm daemon. Make one with {@link #builder()} and share it: it is immutable
 * and thread-safe, and every stream it opens runs on its one Netty event loop group.
 *
 * <pre>{@code
 * TonearmClient client = TonearmClient.builder().port(7700).build();
 * EventStream events = client.events(
 *     EventStreamOptions.builder().topics("player", "queue").build(),
 *     new EventListener() {
 *       @Override public void onEvent(EventStream s, Envelope e) { System.out.println(e); }
 *     });
 * ...
 * events.close();
 * client.close();
 * }</pre>
 *
 * <p><b>Lifecycle:</b> the client that created its event loop group owns it; {@link #close()} on
 * that client closes its group and with it every stream of every client derived from it through
 * {@link #newBuilder()}. Derived clients share the group (unless they change the thread count) and
 * their {@code close()} leaves it running.
 */
public final class TonearmClient implements AutoCloseable {

  private final URI baseUri;
  private final int eventLoopThreads;
  private final Duration reconnectMin;
  private final Duration reconnectMax;
  private final Duration connectTimeout;
  private final Duration readIdleTimeout;
  private final int maxMessageBytes;
  private final Duration callTimeout;
  private final String token;
  private final String zone;
  private final Tls tls;
  private final Path trustedCert;
  private final Requests requests;
  private final CommandSocket commandSocket;
  private final boolean commandsOverSocket;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final boolean epoll;

  private TonearmClient(Builder b) {
    this.baseUri = b.baseUri;
    this.eventLoopThreads = b.eventLoopThreads;
    this.reconnectMin = b.reconnectMin;
    this.reconnectMax = b.reconnectMax;
    this.connectTimeout = b.connectTimeout;
    this.readIdleTimeout = b.readIdleTimeout;
    this.maxMessageBytes = b.maxMessageBytes;
    this.callTimeout = b.callTimeout;
    this.token = b.token;
    this.zone = b.zone;
    this.trustedCert = b.trustedCert;
    this.tls =
        !"https".equals(b.baseUri.getScheme())
            ? null
            : b.trustedCert == null ? Tls.systemDefault() : Tls.trusting(b.trustedCert);
    this.commandSocket =
        b.commandsOverSocket
            ? new CommandSocket(
                l ->
                    events(
                        EventStreamOptions.builder().topics("player", "queue", "outputs").build(),
                        l),
                callTimeout)
            : null;
    this.commandsOverSocket = b.commandsOverSocket;
    this.requests =
        new Requests(
            new HttpCalls(baseUri, connectTimeout, callTimeout, token, tls, zone), commandSocket);
    if (b.group != null) {
      this.group = b.group;
      this.epoll = b.epoll;
      this.ownsGroup = false;
    } else {
      this.epoll = Epoll.isAvailable();
      IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      this.group =
          new MultiThreadIoEventLoopGroup(
              eventLoopThreads, new DefaultThreadFactory("tonearm-client", true), io);
      this.ownsGroup = true;
    }
  }

  /** A builder with the defaults: {@code http://127.0.0.1:7700}, one event loop thread. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this client's settings and sharing its event loop group. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /**
   * Opens an event stream: connects now and keeps reconnecting, with exponential backoff and full
   * jitter, until {@link EventStream#close()} or {@link #close()}. Returns at once; the listener
   * hears the outcome on the event loop.
   *
   * @throws IllegalStateException when this client's event loop has been shut down
   */
  public EventStream events(EventStreamOptions options, EventListener listener) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(listener, "listener");
    if (group.isShuttingDown()) {
      throw new IllegalStateException("client is closed");
    }
    EventStream stream = new EventStream(options);
    StreamRunner runner =
        new StreamRunner(
            new StreamRunner.Settings(
                baseUri,
                group.next(),
                epoll,
                reconnectMin.toMillis(),
                reconnectMax.toMillis(),
                (int) connectTimeout.toMillis(),
                readIdleTimeout.toMillis(),
                maxMessageBytes,
                token,
                tls,
                zone),
            options,
            stream.sink(listener));
    stream.attach(runner);
    runner.start();
    return stream;
  }

  /**
   * Opens a {@link PlayerMirror}: a stream on {@code player}, {@code queue}, {@code outputs} and
   * {@code jobs} that keeps a live copy of them. Returns at once; {@link PlayerMirror#awaitSeq}
   * waits for it.
   */
  public PlayerMirror mirror(MirrorListener listener) {
    Objects.requireNonNull(listener, "listener");
    PlayerMirror m = new PlayerMirror(listener);
    m.attach(
        events(
            EventStreamOptions.builder().topics("player", "queue", "outputs", "jobs").build(),
            m.eventListener()));
    return m;
  }

  /**
   * Subscribes to frame views (spectrum, waveform, meters, onsets, stem meters, transport) and
   * hands their frames to {@code listener} typed. The stream reconnects and resubscribes by itself;
   * close it when done.
   */
  public EventStream frames(List<FrameViewRequest> views, FrameListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (views.isEmpty()) {
      throw new IllegalArgumentException("name at least one view");
    }
    return events(
        EventStreamOptions.builder().views(views.toArray(new FrameViewRequest[0])).build(),
        new FrameDispatch(listener));
  }

  /** The player: state and commands. */
  public PlayerCalls player() {
    return new PlayerCalls(requests);
  }

  /** The play queue. */
  public QueueCalls queue() {
    return new QueueCalls(requests);
  }

  /** Audio outputs and ReplayGain. */
  public OutputCalls outputs() {
    return new OutputCalls(requests);
  }

  /** The music library: tracks, albums, search, folders, scans. */
  public LibraryCalls library() {
    return new LibraryCalls(requests);
  }

  /** Stored playlists. */
  public PlaylistCalls playlists() {
    return new PlaylistCalls(requests);
  }

  /** Background jobs (scans, analyses). */
  public JobCalls jobs() {
    return new JobCalls(requests);
  }

  /** Offline analysis and the live meters' reset. */
  /** Access tokens and socket tickets. */
  public TokenCalls tokens() {
    return new TokenCalls(requests);
  }

  /** Zones: list, make, remove. */
  public ZoneCalls zones() {
    return new ZoneCalls(requests);
  }

  /**
   * The zone this client's player, queue, outputs and analysis calls and its event streams follow
   * (the {@code settings}, {@code mixer} and {@code lyrics} topics carry that zone's own), or null
   * for the daemon's choice ("default", or the token's one zone).
   */
  public String zone() {
    return zone;
  }

  public AnalysisCalls analysis() {
    return new AnalysisCalls(requests);
  }

  /** How long a {@link Call} may wait for its answer (default 30 s). */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** The daemon's base URI, e.g. {@code http://127.0.0.1:7700}. */
  public URI baseUri() {
    return baseUri;
  }

  public Duration reconnectMin() {
    return reconnectMin;
  }

  public Duration reconnectMax() {
    return reconnectMax;
  }

  /**
   * Shuts the event loop group down when this client created it, which ends every stream on it;
   * otherwise does nothing. Waits up to two seconds. Idempotent.
   */
  @Override
  public void close() {
    if (commandSocket != null) {
      commandSocket.close();
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
  }

  /** Builds a {@link TonearmClient}. Not thread-safe. */
  public static final class Builder {
    private URI baseUri = URI.create("http://127.0.0.1:7700");
    private int eventLoopThreads = 1;
    private Duration reconnectMin = Duration.ofMillis(100);
    private Duration reconnectMax = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readIdleTimeout = Duration.ofSeconds(75);
    private int maxMessageBytes = 16 << 20;
    private Duration callTimeout = Duration.ofSeconds(30);
    private String token;
    private String zone;
    private Path trustedCert;
    private boolean commandsOverSocket;
    private EventLoopGroup group;
    private boolean epoll;

    private Builder() {}

    private Builder(TonearmClient c) {
      baseUri = c.baseUri;
      eventLoopThreads = c.eventLoopThreads;
      reconnectMin = c.reconnectMin;
      reconnectMax = c.reconnectMax;
      connectTimeout = c.connectTimeout;
      readIdleTimeout = c.readIdleTimeout;
      maxMessageBytes = c.maxMessageBytes;
      callTimeout = c.callTimeout;
      token = c.token;
      zone = c.zone;
      trustedCert = c.trustedCert;
      commandsOverSocket = c.commandsOverSocket;
      group = c.group;
      epoll = c.epoll;
    }

    /**
     * The daemon's base URI: {@code http://host:port}, or {@code https://host:port} for a daemon
     * serving TLS (then the event socket is {@code wss}); a path, if any, is ignored.
     */
    public Builder baseUri(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "base URI must be http://host[:port] or https://host[:port], got " + uri);
      }
      int port = uri.getPort() < 0 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
      this.baseUri = URI.create(scheme + "://" + hostLiteral(uri.getHost()) + ":" + port);
      return this;
    }

    /** Host name or address; keeps the scheme and port. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      return baseUri(
          URI.create(baseUri.getScheme() + "://" + hostLiteral(host) + ":" + baseUri.getPort()));
    }

    /**
     * Speaks TLS to the daemon (HTTPS and WSS, for a daemon started with {@code --tls-cert}),
     * trusting exactly the certificates in the PEM file {@code cert} (e.g. the daemon's own
     * self-signed certificate); the host name is verified against it. Null goes back to the JDK's
     * default authorities (still TLS). Keeps host and port.
     *
     * @throws IllegalArgumentException at {@link #build} when the file holds no certificate
     */
    public Builder trustCertificate(Path cert) {
      this.trustedCert = cert;
      return baseUri(URI.create("https://" + baseUri.getHost() + ":" + baseUri.getPort()));
    }

    /** TCP port, 1 to 65535; keeps the host. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
      }
      return baseUri(URI.create(baseUri.getScheme() + "://" + baseUri.getHost() + ":" + port));
    }

    /** Event loop threads of a new group (default 1); setting it stops sharing a parent's group. */
    public Builder eventLoopThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.eventLoopThreads = threads;
      this.group = null;
      return this;
    }

    /**
     * Reconnect backoff: attempt n waits a uniformly random time in {@code [0, min(max, min *
     * 2^n)]} ("full jitter"). Defaults 100 ms and 30 s.
     */
    public Builder reconnectBackoff(Duration min, Duration max) {
      if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("need 0 < min <= max, got " + min + ", " + max);
      }
      this.reconnectMin = min;
      this.reconnectMax = max;
      return this;
    }

    /** TCP connect plus WebSocket handshake timeout (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * A connection that receives nothing for this long is dropped and reconnected (default 75 s;
     * the daemon pings an idle socket every 30 s).
     */
    public Builder readIdleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.readIdleTimeout = timeout;
      return this;
    }

    /** Largest message accepted from the daemon, in bytes (default 16 MiB). */
    public Builder maxMessageBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxMessageBytes must be at least 1024, got " + bytes);
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /** How long a call waits for its answer before failing with {@link UnreachableException}. */
    public Builder callTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.callTimeout = timeout;
      return this;
    }

    /**
     * A bearer token sent with every call ({@code Authorization: Bearer ...}); null for none.
     * Printable ASCII, at most 4,096 characters.
     */
    public Builder token(String token) {
      if (token != null
          && (token.isEmpty()
              || token.length() > 4096
              || !token.chars().allMatch(c -> c > 32 && c < 127))) {
        throw new IllegalArgumentException("token must be 1 to 4096 printable ASCII characters");
      }
      this.token = token;
      return this;
    }

    /**
     * The zone to follow (docs/PROTOCOL.md "Zones"): every HTTP call carries {@code X-Tonearm-Zone}
     * (the player, queue, outputs and analysis commands act on that zone; the shared ones ignore
     * it) and every event stream opens {@code /ws?zone=}, so its events, snapshots, frames and
     * socket commands are that zone's. Null (the default) leaves the choice to the daemon:
     * "default", or the token's one zone. An unknown zone is a {@link ServerErrorException} with
     * code {@code zone_not_found} on the first call, and ends a stream for good.
     */
    public Builder zone(String zone) {
      if (zone != null && !zone.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
        throw new IllegalArgumentException(
            "zone must be 1 to 32 lower-case letters, digits, '-' or '_', got '" + zone + "'");
      }
      this.zone = zone;
      return this;
    }

    /**
     * Sends the player, queue and outputs commands over one WebSocket (the daemon's command table
     * on the socket: {@code ClientMessage.command}, answered by {@code Ack} after the events it
     * caused) instead of HTTP; library, playlists, jobs and analysis calls stay on HTTP (they are
     * not in the command table yet). Default false (HTTP). The socket opens on the first command
     * and reconnects by itself; a refusal's {@link ServerErrorException#status()} is then 0.
     */
    public Builder commandsOverSocket(boolean enabled) {
      this.commandsOverSocket = enabled;
      return this;
    }

    public TonearmClient build() {
      return new TonearmClient(this);
    }

    private static String hostLiteral(String host) {
      return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
  }
}
