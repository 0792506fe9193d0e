package io.tonearm.client;

import io.tonearm.proto.v1.Error;
import java.util.Map;

/**
 * The daemon refused or failed a call and said why: its {@link #code()} ({@code "not_found"},
 * {@code "out_of_range"}, {@code "conflict"}, ...; see docs/PROTOCOL.md), the HTTP {@link
 * #status()} (0 over the socket) and the details it gave (for example {@code field} and {@code
 * range}). A failed command changed nothing. Immutable.
 */
public final class ServerErrorException extends TonearmException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Error error;

  public ServerErrorException(int status, Error error) {
    super(error.getCode() + ": " + error.getMessage());
    this.status = status;
    this.error = error;
  }

  /** The daemon's error code, for example {@code "not_found"}; never null. */
  public String code() {
    return error.getCode();
  }

  /** The HTTP status of the reply, or 0 when the error came over the socket. */
  public int status() {
    return status;
  }

  /** Extra facts about the error (for example {@code field}, {@code range}); may be empty. */
  public Map<String, String> details() {
    return error.getDetailsMap();
  }

  /** The whole error message as the daemon sent it. */
  public Error error() {
    return error;
  }
}
