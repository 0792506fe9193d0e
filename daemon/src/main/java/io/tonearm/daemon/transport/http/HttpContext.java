package io.tonearm.daemon.transport.http;

import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.ops.Metrics;
import java.util.function.Supplier;

/**
 * What every HTTP connection shares.
 *
 * @param maxPipelined requests a connection may have waiting before it stops being read
 * @param health the /health body, made on request
 */
public record HttpContext(
    Router router,
    Metrics metrics,
    StaticFiles staticFiles,
    Supplier<byte[]> health,
    int maxPipelined) {}
