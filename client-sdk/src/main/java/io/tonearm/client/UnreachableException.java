package io.tonearm.client;

/**
 * No answer came: the daemon is not running or not reachable at the client's address, the
 * connection dropped during the call, or the call's timeout passed. A command that fails this way
 * may or may not have been applied; the event stream tells which.
 */
public final class UnreachableException extends TonearmException {

  private static final long serialVersionUID = 1L;

  public UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
