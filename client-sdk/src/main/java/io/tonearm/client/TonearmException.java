package io.tonearm.client;

/**
 * A call failed. Subclasses say how: {@link ServerErrorException} when the daemon answered with an
 * error (it carries the daemon's error code), {@link UnreachableException} when no answer came (the
 * daemon is down, the connection dropped, or the call timed out). This class itself is thrown for a
 * reply the SDK could not read. Unchecked, so that it passes through {@link
 * java.util.concurrent.CompletableFuture} stages unchanged (as their cause).
 */
public class TonearmException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TonearmException(String message, Throwable cause) {
    super(message, cause);
  }

  public TonearmException(String message) {
    super(message);
  }
}
