package io.tonearm.daemon.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The daemon's settings, immutable. Made by {@link ConfigLoader} from flags, environment and an
 * optional file (flags win over environment, environment over the file, the file over defaults).
 * Every bound the daemon enforces is here, with its default.
 *
 * @param bind address to listen on (default 127.0.0.1)
 * @param port TCP port, 0 for any free port (default 7700)
 * @param dataDir where state, the library database and the demo library live (default: {@link
 *     DataDir#platformDefault})
 * @param music music folders; empty means the built-in demo library
 * @param allowedOrigins browser origins allowed besides loopback ones
 * @param maxBodyBytes largest HTTP request body, else 413 (default 1 MiB)
 * @param maxHeaderBytes largest HTTP header block, else 431 (default 16 KiB)
 * @param maxFrameBytes largest WebSocket message from a client, else close 1009 (default 64 KiB)
 * @param maxPipelined HTTP requests one connection may queue before it stops being read (16)
 * @param handshakeTimeoutMillis time allowed to finish the WebSocket upgrade (10 s)
 * @param idleSeconds an HTTP connection idle this long is closed; a socket idle this long is pinged
 *     (default 30 s)
 * @param maxMissedPongs unanswered pings before a socket is closed with 4001 (default 2)
 * @param historyEvents state events kept for resume (default 65,536)
 * @param historyBytes encoded bytes kept for resume (default 32 MiB)
 * @param clientBudgetBytes how far a socket may fall behind on the state lane before it is closed
 *     with 4000 (default 8 MiB)
 * @param sendBufferBytes SO_SNDBUF of each connection, small so that writability is real (64 KiB)
 * @param ioUring the sockets on Linux's io_uring rather than epoll (default false; true for a
 *     relay, {@link ConfigLoader#load(String[], java.util.Map, boolean)}): one {@code
 *     io_uring_enter} call carries many sockets' sends where epoll makes one {@code send} call per
 *     socket, which is what a fan-out to thousands of sockets spends most of its CPU on; when the
 *     kernel refuses io_uring (disabled, or a seccomp filter) the daemon says so in its log and
 *     uses epoll; {@code /health} {@code transport} names the one in use
 * @param transportFps default rate of transport frames (default 10, at most 120)
 * @param outputRate the rate every output opens at, {@link #MIN_OUTPUT_RATE} to {@link
 *     #MAX_OUTPUT_RATE}, items of other rates resampled; 0 (the default) follows each item's rate.
 *     The HTTP stream always has one rate: this one, else {@link #STREAM_RATE}
 * @param mpdPort TCP port of MPD's protocol on the same address, 0 for any free port, -1 (the
 *     default) for off
 * @param connections who may connect and how many, and how long a request's head may take
 * @param security tokens, command rates and TLS
 * @param dither whether the integer outputs add TPDF dither when a gain, resampling or a deeper
 *     source reduces the word length (default true; unity-gain words pass bit-exact either way)
 * @param maxPlayingZones zones that may be playing or paused at once, 1 to {@link
 *     io.tonearm.daemon.zones.Zones#MAX_ZONES} (default {@link
 *     io.tonearm.daemon.player.PlaySlots#DEFAULT_MAX}): each holds about 10 MB of decoded audio
 */
public record Config(
    String bind,
    int port,
    Path dataDir,
    List<Path> music,
    Set<String> allowedOrigins,
    int maxBodyBytes,
    int maxHeaderBytes,
    int maxFrameBytes,
    int maxPipelined,
    int handshakeTimeoutMillis,
    int idleSeconds,
    int maxMissedPongs,
    int historyEvents,
    long historyBytes,
    long clientBudgetBytes,
    int sendBufferBytes,
    boolean ioUring,
    int transportFps,
    int outputRate,
    int mpdPort,
    boolean dither,
    int maxPlayingZones,
    Connections connections,
    Security security) {

  /**
   * Who may connect without a token, how fast callers may send commands, and TLS.
   *
   * @param trustLoopback clients on a loopback address need no token (default true); a request that
   *     carries a token is that token's whatever its address
   * @param tokenRate commands per second one token may send, sustained (default 50)
   * @param tokenBurst commands one token may send at once (default 200)
   * @param addressRate commands per second from one non-loopback address (IPv6: /64), sustained
   *     (default 100)
   * @param addressBurst commands at once from one non-loopback address (default 400)
   * @param maxSocketsPerToken open WebSockets one token may hold (default 64)
   * @param authFailureBurst failed authentications one address may make before it is limited
   *     (default 20)
   * @param authFailuresPerMinute failed authentications per minute one address regains (default 10)
   * @param tlsCert PEM certificate chain for HTTPS and WSS on the port; null for plain HTTP
   * @param tlsKey PEM PKCS#8 private key of {@code tlsCert}; null with it
   */
  public record Security(
      boolean trustLoopback,
      double tokenRate,
      int tokenBurst,
      double addressRate,
      int addressBurst,
      int maxSocketsPerToken,
      int authFailureBurst,
      double authFailuresPerMinute,
      Path tlsCert,
      Path tlsKey) {

    public Security {
      if ((tlsCert == null) != (tlsKey == null)) {
        throw new IllegalArgumentException("a TLS certificate needs its key and the key its cert");
      }
    }

    /** The defaults: loopback trusted, no TLS. */
    public static Security defaults() {
      return new Security(true, 50, 200, 100, 400, 64, 20, 10, null, null);
    }

    /** A copy with loopback trusted or not. */
    public Security withTrustLoopback(boolean trust) {
      return new Security(
          trust,
          tokenRate,
          tokenBurst,
          addressRate,
          addressBurst,
          maxSocketsPerToken,
          authFailureBurst,
          authFailuresPerMinute,
          tlsCert,
          tlsKey);
    }

    /** A copy with other command rates. */
    public Security withRates(double perToken, int tokenBurst, double perAddress, int addrBurst) {
      return new Security(
          trustLoopback,
          perToken,
          tokenBurst,
          perAddress,
          addrBurst,
          maxSocketsPerToken,
          authFailureBurst,
          authFailuresPerMinute,
          tlsCert,
          tlsKey);
    }

    /** A copy with another cap on sockets per token. */
    public Security withMaxSocketsPerToken(int max) {
      return new Security(
          trustLoopback,
          tokenRate,
          tokenBurst,
          addressRate,
          addressBurst,
          max,
          authFailureBurst,
          authFailuresPerMinute,
          tlsCert,
          tlsKey);
    }

    /** A copy serving TLS with this certificate chain and key (PEM files). */
    public Security withTls(Path cert, Path key) {
      return new Security(
          trustLoopback,
          tokenRate,
          tokenBurst,
          addressRate,
          addressBurst,
          maxSocketsPerToken,
          authFailureBurst,
          authFailuresPerMinute,
          cert,
          key);
    }

    public boolean tls() {
      return tlsCert != null;
    }
  }

  /**
   * Bounds on connections, and the names the daemon answers to.
   *
   * @param allowedHosts host names (without port) a request's {@code Host} may carry besides the
   *     bind address, loopback names for a loopback or wildcard bind, and the machine's name for a
   *     wildcard bind
   * @param max open connections in all (default 10,000); more are refused with 503
   * @param maxPerAddress open connections from one remote address (default 256); loopback addresses
   *     count only toward {@code max}
   * @param headerTimeoutMillis a request's line and headers must arrive within this time of its
   *     first byte, else 408 and the connection is closed (default 10 s)
   * @param fdReserve file descriptors kept free for the daemon's own files: a new connection is
   *     refused when fewer would stay free (default 256)
   * @param maxPendingReplies WebSocket replies (pongs, acks, errors) a client may leave unread
   *     before it is closed with 4002 (default 256)
   */
  public record Connections(
      Set<String> allowedHosts,
      int max,
      int maxPerAddress,
      int headerTimeoutMillis,
      int fdReserve,
      int maxPendingReplies) {

    public Connections {
      allowedHosts = Set.copyOf(allowedHosts);
    }

    /** The defaults. */
    public static Connections defaults() {
      return new Connections(Set.of(), 10_000, 256, 10_000, 256, 256);
    }
  }

  /** Lowest {@code outputRate} other than 0. */
  public static final int MIN_OUTPUT_RATE = 8000;

  /** Highest {@code outputRate}. */
  public static final int MAX_OUTPUT_RATE = 384_000;

  /**
   * The HTTP stream's rate when {@code outputRate} is 0: 44.1 kHz, the rate of most music, which
   * then reaches listeners bit-exact; other items are resampled so that the stream never changes
   * format between items.
   */
  public static final int STREAM_RATE = 44_100;

  public Config {
    music = List.copyOf(music);
    allowedOrigins = Set.copyOf(allowedOrigins);
    if (outputRate != 0 && (outputRate < MIN_OUTPUT_RATE || outputRate > MAX_OUTPUT_RATE)) {
      throw new IllegalArgumentException("outputRate must be 0 or 8000 to 384000");
    }
  }

  /** The HTTP stream's one rate: the output rate, else {@link #STREAM_RATE}. */
  public int streamRate() {
    return outputRate != 0 ? outputRate : STREAM_RATE;
  }

  /** The defaults, listening on {@code port} with data in {@code dataDir}. */
  public static Config defaults(int port, Path dataDir) {
    return new Config(
        "127.0.0.1",
        port,
        dataDir,
        List.of(),
        Set.of(),
        1 << 20,
        16 << 10,
        64 << 10,
        16,
        10_000,
        30,
        2,
        65_536,
        32L << 20,
        8L << 20,
        64 << 10,
        false,
        10,
        0,
        -1,
        true,
        io.tonearm.daemon.player.PlaySlots.DEFAULT_MAX,
        Connections.defaults(),
        Security.defaults());
  }

  /** A copy listening on another address. */
  public Config withBind(String address) {
    return toBuilder().bind(address).build();
  }

  /** A copy with other connection bounds. */
  public Config withConnections(Connections c) {
    return toBuilder().connections(c).build();
  }

  /** A copy with other access settings. */
  public Config withSecurity(Security s) {
    return toBuilder().security(s).build();
  }

  /** A copy with other music folders. */
  public Config withMusic(List<Path> folders) {
    return toBuilder().music(folders).build();
  }

  /** A copy serving MPD's protocol on {@code port} (0 = any free port, -1 = off). */
  public Config withMpdPort(int port) {
    return toBuilder().mpdPort(port).build();
  }

  /** A copy letting {@code max} zones play or be paused at once. */
  public Config withMaxPlayingZones(int max) {
    return toBuilder().maxPlayingZones(max).build();
  }

  /**
   * A builder holding this config's values, to change some: {@code c.toBuilder().port(0).build()}.
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Sets components one by one, from a config's values; {@link #build} checks them as the
   * constructor does. Not thread-safe.
   */
  public static final class Builder {
    private String bind;
    private int port;
    private Path dataDir;
    private List<Path> music;
    private Set<String> allowedOrigins;
    private int maxBodyBytes;
    private int maxHeaderBytes;
    private int maxFrameBytes;
    private int maxPipelined;
    private int handshakeTimeoutMillis;
    private int idleSeconds;
    private int maxMissedPongs;
    private int historyEvents;
    private long historyBytes;
    private long clientBudgetBytes;
    private int sendBufferBytes;
    private boolean ioUring;
    private int transportFps;
    private int outputRate;
    private int mpdPort;
    private boolean dither;
    private int maxPlayingZones;
    private Connections connections;
    private Security security;

    private Builder(Config c) {
      bind = c.bind;
      port = c.port;
      dataDir = c.dataDir;
      music = c.music;
      allowedOrigins = c.allowedOrigins;
      maxBodyBytes = c.maxBodyBytes;
      maxHeaderBytes = c.maxHeaderBytes;
      maxFrameBytes = c.maxFrameBytes;
      maxPipelined = c.maxPipelined;
      handshakeTimeoutMillis = c.handshakeTimeoutMillis;
      idleSeconds = c.idleSeconds;
      maxMissedPongs = c.maxMissedPongs;
      historyEvents = c.historyEvents;
      historyBytes = c.historyBytes;
      clientBudgetBytes = c.clientBudgetBytes;
      sendBufferBytes = c.sendBufferBytes;
      ioUring = c.ioUring;
      transportFps = c.transportFps;
      outputRate = c.outputRate;
      mpdPort = c.mpdPort;
      dither = c.dither;
      maxPlayingZones = c.maxPlayingZones;
      connections = c.connections;
      security = c.security;
    }

    public Builder bind(String v) {
      bind = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder music(List<Path> v) {
      music = v;
      return this;
    }

    public Builder allowedOrigins(Set<String> v) {
      allowedOrigins = v;
      return this;
    }

    public Builder maxBodyBytes(int v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder maxHeaderBytes(int v) {
      maxHeaderBytes = v;
      return this;
    }

    public Builder maxFrameBytes(int v) {
      maxFrameBytes = v;
      return this;
    }

    public Builder maxPipelined(int v) {
      maxPipelined = v;
      return this;
    }

    public Builder handshakeTimeoutMillis(int v) {
      handshakeTimeoutMillis = v;
      return this;
    }

    public Builder idleSeconds(int v) {
      idleSeconds = v;
      return this;
    }

    public Builder maxMissedPongs(int v) {
      maxMissedPongs = v;
      return this;
    }

    public Builder historyEvents(int v) {
      historyEvents = v;
      return this;
    }

    public Builder historyBytes(long v) {
      historyBytes = v;
      return this;
    }

    public Builder clientBudgetBytes(long v) {
      clientBudgetBytes = v;
      return this;
    }

    public Builder sendBufferBytes(int v) {
      sendBufferBytes = v;
      return this;
    }

    public Builder ioUring(boolean v) {
      ioUring = v;
      return this;
    }

    public Builder transportFps(int v) {
      transportFps = v;
      return this;
    }

    public Builder outputRate(int v) {
      outputRate = v;
      return this;
    }

    public Builder mpdPort(int v) {
      mpdPort = v;
      return this;
    }

    public Builder dither(boolean v) {
      dither = v;
      return this;
    }

    public Builder maxPlayingZones(int v) {
      maxPlayingZones = v;
      return this;
    }

    public Builder connections(Connections v) {
      connections = v;
      return this;
    }

    public Builder security(Security v) {
      security = v;
      return this;
    }

    public Config build() {
      return new Config(
          bind,
          port,
          dataDir,
          music,
          allowedOrigins,
          maxBodyBytes,
          maxHeaderBytes,
          maxFrameBytes,
          maxPipelined,
          handshakeTimeoutMillis,
          idleSeconds,
          maxMissedPongs,
          historyEvents,
          historyBytes,
          clientBudgetBytes,
          sendBufferBytes,
          ioUring,
          transportFps,
          outputRate,
          mpdPort,
          dither,
          maxPlayingZones,
          connections,
          security);
    }
  }
}
