package io.tonearm.daemon.transport.http;

import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.events.WakeHold;
import io.tonearm.daemon.events.ZoneId;
import io.tonearm.daemon.library.Uploads;
import io.tonearm.daemon.ops.Metrics;
import io.tonearm.daemon.output.HttpStreamOutput;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What every HTTP connection shares.
 *
 * @param stream the HTTP audio stream output, or null when there is none
 * @param health the /health body, made on request
 * @param access who requests act as; null for a context where everything is trusted (tests)
 * @param wakes the event hub's hold: a command reply is written before the fan-out of its events on
 *     the reply's event loop
 * @param zoneExists whether a zone id names a zone now (any thread)
 * @param zoneStreams the {@code /stream} output of an existing zone ({@code ?zone=}); null when the
 *     zone does not exist
 * @param uploads where uploads are received; null for none
 */
public record HttpContext(
    Router router,
    Metrics metrics,
    StaticFiles staticFiles,
    Supplier<byte[]> health,
    HttpStreamOutput stream,
    Access access,
    WakeHold wakes,
    Predicate<String> zoneExists,
    Function<String, HttpStreamOutput> zoneStreams,
    Uploads uploads) {

  /** A context without uploads ({@code PUT /api/v1/library/uploads/...} is then not received). */
  public HttpContext(
      Router router,
      Metrics metrics,
      StaticFiles staticFiles,
      Supplier<byte[]> health,
      HttpStreamOutput stream,
      Access access,
      WakeHold wakes,
      Predicate<String> zoneExists,
      Function<String, HttpStreamOutput> zoneStreams) {
    this(
        router, metrics, staticFiles, health, stream, access, wakes, zoneExists, zoneStreams, null);
  }

  /** A context of a daemon whose only zone is "default", with {@code stream} its stream. */
  public HttpContext(
      Router router,
      Metrics metrics,
      StaticFiles staticFiles,
      Supplier<byte[]> health,
      HttpStreamOutput stream,
      Access access,
      WakeHold wakes) {
    this(
        router,
        metrics,
        staticFiles,
        health,
        stream,
        access,
        wakes,
        ZoneId.DEFAULT::equals,
        z -> z.equals(ZoneId.DEFAULT) ? stream : null);
  }

  /** A context without authentication: every request is trusted (tests). */
  public HttpContext(
      Router router,
      Metrics metrics,
      StaticFiles staticFiles,
      Supplier<byte[]> health,
      HttpStreamOutput stream) {
    this(router, metrics, staticFiles, health, stream, null);
  }

  /** A context whose replies hold nothing back (no event hub). */
  public HttpContext(
      Router router,
      Metrics metrics,
      StaticFiles staticFiles,
      Supplier<byte[]> health,
      HttpStreamOutput stream,
      Access access) {
    this(router, metrics, staticFiles, health, stream, access, new WakeHold());
  }
}
