package io.tonearm.bench;

import java.io.IOException;
import java.net.URI;

/**
 * A daemon already running at {@code --url}: the bench neither starts nor stops it, and it has no
 * bench-only routes (the scenarios drive it with real commands). Its CPU figures need {@code --pid}
 * (the process must be on this machine); without it they are NaN ("n/a" in the report).
 */
final class RunningDaemon implements DaemonTarget {

  private final URI base;
  private final String token;
  private final long pid;
  private final Http http;

  private RunningDaemon(URI base, String token, long pid) {
    this.base = base;
    this.token = token;
    this.pid = pid;
    this.http = new Http(base, token);
  }

  /** Checks that {@code base} answers {@code /health} and that {@code pid} is a live process. */
  static RunningDaemon connect(URI base, String token, long pid)
      throws IOException, InterruptedException {
    if (pid >= 0 && ProcessHandle.of(pid).isEmpty()) {
      throw new IllegalArgumentException("--pid " + pid + " is not a running process");
    }
    RunningDaemon d = new RunningDaemon(base, token, pid);
    int status;
    try {
      status = d.http.get("/health").statusCode();
    } catch (IOException e) {
      throw new IOException("no daemon answers at " + base + ": " + e.getMessage(), e);
    }
    if (status != 200) {
      throw new IOException(base + "/health answered " + status);
    }
    return d;
  }

  @Override
  public URI baseUri() {
    return base;
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public Http http() {
    return http;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public boolean benchOnly() {
    return false;
  }

  @Override
  public String describe() {
    return "running daemon at " + base + (pid >= 0 ? " (pid " + pid + ")" : " (CPU not measured)");
  }

  @Override
  public void close() {
    // Not ours to stop.
  }
}
