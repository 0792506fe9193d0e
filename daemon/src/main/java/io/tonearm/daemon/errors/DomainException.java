package io.tonearm.daemon.errors;

import java.util.Map;

/**
 * A command the domain refuses: bad input, an unknown id, a conflict with the current state. Thrown
 * by the domain packages (player, library, playlists, jobs, analysis) before they change anything;
 * the edges map its {@link Kind} to an HTTP status or a socket {@code Error}, and its {@link
 * #code()} goes to the client unchanged.
 */
public final class DomainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of refusal, independent of any protocol. */
  public enum Kind {
    /** The input is malformed or a required value is missing. */
    INVALID,
    /** The caller is not known: no credentials, or bad, expired or revoked ones. */
    UNAUTHENTICATED,
    /**
     * The input names something outside what may be touched (a path outside the music folders), or
     * the caller lacks the scope.
     */
    FORBIDDEN,
    /** An id or path names nothing. */
    NOT_FOUND,
    /** The request conflicts with the current state. */
    CONFLICT,
    /** The input is larger than a stated bound. */
    TOO_LARGE,
    /** A value is well-formed but outside its stated range, or names the wrong kind of thing. */
    UNPROCESSABLE,
    /** The caller sent more than its rate allows; {@code details.retry_after_ms} says when. */
    TOO_MANY,
    /** The domain cannot take the request now (queue full, shutting down); retry later. */
    UNAVAILABLE,
    /** Something failed inside the daemon (an unreadable cache file). */
    INTERNAL
  }

  private final Kind kind;
  private final String code;
  private final Map<String, String> details;

  public DomainException(Kind kind, String code, String message, Map<String, String> details) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
    this.details = Map.copyOf(details);
  }

  public DomainException(Kind kind, String code, String message) {
    this(kind, code, message, Map.of());
  }

  /** 404 {@code zone_not_found}: the zone id names no zone (now). */
  public static DomainException zoneNotFound(String zone) {
    String shown = zone.length() > 40 ? zone.substring(0, 40) + "..." : zone;
    return new DomainException(
        Kind.NOT_FOUND,
        "zone_not_found",
        "no zone '" + shown + "' (GET /api/v1/zones lists them)",
        Map.of("zone", shown));
  }

  /** Malformed input: code {@code bad_request}. */
  public static DomainException badRequest(String message) {
    return new DomainException(Kind.INVALID, "bad_request", message);
  }

  /** An id or path names nothing: code {@code not_found}. */
  public static DomainException notFound(String what, String id) {
    return new DomainException(
        Kind.NOT_FOUND, "not_found", what + " not found: " + id, Map.of("id", id));
  }

  /** A value outside its stated range: code {@code out_of_range}. */
  public static DomainException outOfRange(String field, Object value, String range) {
    return new DomainException(
        Kind.UNPROCESSABLE,
        "out_of_range",
        field + " must be " + range + ", got " + value,
        Map.of("field", field, "range", range));
  }

  /** A conflict with the current state: code {@code conflict}. */
  public static DomainException conflict(String message) {
    return new DomainException(Kind.CONFLICT, "conflict", message);
  }

  public Kind kind() {
    return kind;
  }

  /** Stable machine-readable code, e.g. {@code "not_found"}. */
  public String code() {
    return code;
  }

  /** Extra facts (the offending field, the limit, the id); never null. */
  public Map<String, String> details() {
    return details;
  }
}
