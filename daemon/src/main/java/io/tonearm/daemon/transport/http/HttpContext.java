package io.tonearm.daemon.transport.http;

import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.ops.Metrics;
import io.tonearm.daemon.output.HttpStreamOutput;
import java.util.function.Supplier;

/**
 * What every HTTP connection shares.
 *
 * @param stream the HTTP audio stream output, or null when there is none
 * @param health the /health body, made on request
 */
public record HttpContext(
    Router router,
    Metrics metrics,
    StaticFiles staticFiles,
    Supplier<byte[]> health,
    HttpStreamOutput stream) {}
