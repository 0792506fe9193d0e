package io.tonearm.daemon.transport.http;

import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiHandler;
import io.tonearm.daemon.api.ApiRequest;
import io.tonearm.daemon.api.ApiResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A relay's {@code /api/} routes: each request goes to the origin as it came (method, path, query,
 * body, and the headers that carry meaning: content type, accept, the caller's {@code
 * Authorization}, {@code X-Tonearm-Client} and {@code X-Tonearm-Source}), and the origin's answer
 * comes back as it was (status, body, content type, caching and retry headers). The origin
 * authenticates, authorizes and rate limits; note that it sees the relay's address, so a
 * per-address rate applies to all of a remote relay's clients together.
 */
public final class OriginProxy implements ApiHandler {

  /** How long the origin may take to answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final List<String> REQUEST_HEADERS =
      List.of("content-type", "accept", "authorization", "x-tonearm-client", "x-tonearm-source");

  private static final List<String> REPLY_HEADERS =
      List.of(
          "etag",
          "cache-control",
          "retry-after",
          "www-authenticate",
          "location",
          "content-disposition");

  private final String origin;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param origin {@code http(s)://host:port}
   */
  public OriginProxy(String origin) {
    this.origin = origin;
  }

  @Override
  public CompletionStage<ApiResponse> handle(ApiRequest req) {
    StringBuilder url = new StringBuilder(origin).append(req.path());
    char sep = '?';
    for (Map.Entry<String, List<String>> q : req.query().entrySet()) {
      for (String v : q.getValue()) {
        url.append(sep)
            .append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url.toString()))
            .timeout(TIMEOUT)
            .method(
                req.method(),
                req.body().length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(req.body()));
    for (String h : REQUEST_HEADERS) {
      String v = req.header(h);
      if (v != null) {
        b.header(h, v);
      }
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (r, err) -> {
              if (err != null) {
                throw new ApiException(
                    503, "unavailable", "the relay cannot reach the origin at " + origin);
              }
              Map<String, String> headers = new LinkedHashMap<>();
              for (String h : REPLY_HEADERS) {
                r.headers().firstValue(h).ifPresent(v -> headers.put(h, v));
              }
              return new ApiResponse.Bytes(
                  r.statusCode(),
                  r.headers().firstValue("content-type").orElse("application/octet-stream"),
                  r.body(),
                  headers);
            });
  }
}
