/**
 * A command or control message the daemon refused (its `tonearm.v1.Error`), or one that got no
 * answer. `code` is the daemon's stable code (`out_of_range`, `not_found`, `missing_field`,
 * `unknown_command`, `bad_view`... see docs/PROTOCOL.md) or, for a {@link ConnectionError},
 * `unreachable` or `timeout`.
 */
export class TonearmError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  /** Extra facts the daemon gave (`field`, `range`, `expected`...); empty when none. */
  readonly details: Readonly<Record<string, string>>;
  /** The request id of the message that failed; empty when none. */
  readonly requestId: string;

  constructor(
    code: string,
    message: string,
    details: Readonly<Record<string, string>> = {},
    requestId = "",
  ) {
    super(message);
    this.name = "TonearmError";
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
}

/**
 * No answer: the socket was not open within the timeout, or it closed before the answer came
 * (`code` is `unreachable`), or the answer took longer than the timeout (`timeout`). A command
 * that ends this way may or may not have been applied; the state mirror tells which.
 */
export class ConnectionError extends TonearmError {
  constructor(code: "unreachable" | "timeout", message: string) {
    super(code, message);
    this.name = "ConnectionError";
  }
}
