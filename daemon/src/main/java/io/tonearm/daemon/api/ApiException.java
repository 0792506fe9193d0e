package io.tonearm.daemon.api;

import io.tonearm.daemon.errors.DomainException;
import java.util.Map;

/**
 * A request that cannot be applied. Becomes one structured {@code Error} with the HTTP status;
 * whoever throws it must have changed nothing.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final Map<String, String> details;

  public ApiException(int status, String code, String message, Map<String, String> details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = Map.copyOf(details);
  }

  public ApiException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  /** 400: the request is malformed. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  /** 404: an id or path names nothing. */
  public static ApiException notFound(String what, String id) {
    return new ApiException(404, "not_found", what + " not found: " + id, Map.of("id", id));
  }

  /** 422: a value is outside its stated range. */
  public static ApiException outOfRange(String field, Object value, String range) {
    return new ApiException(
        422,
        "out_of_range",
        field + " must be " + range + ", got " + value,
        Map.of("field", field, "range", range));
  }

  /** 409: the request conflicts with the current state. */
  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message);
  }

  /** The HTTP form of a domain refusal: its kind's status, its code, message and details. */
  public static ApiException from(DomainException e) {
    return new ApiException(statusOf(e.kind()), e.code(), e.getMessage(), e.details());
  }

  /** The HTTP status of a kind of domain refusal. */
  public static int statusOf(DomainException.Kind kind) {
    return switch (kind) {
      case INVALID -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case UNPROCESSABLE -> 422;
      case TOO_MANY -> 429;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, String> details() {
    return details;
  }
}
