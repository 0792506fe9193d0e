package io.tonearm.client.cli;

/** The command line is wrong; exit code 2 with the message and a hint. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
