package io.tonearm.daemon.output;

/** An output could not open or failed while playing. */
public final class OutputException extends Exception {
  private static final long serialVersionUID = 1L;

  public OutputException(String message) {
    super(message);
  }

  public OutputException(String message, Throwable cause) {
    super(message, cause);
  }
}
