package io.tonearm.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Blocking GET and POST of JSON against the daemon, for the scenarios' control path. */
final class Http {

  private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*\"?(\\d+)");

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  /**
   * @param base {@code http://host:port}
   * @param token sent as {@code Authorization: Bearer}, or null
   */
  Http(URI base, String token) {
    this.base = base.toString();
    this.token = token;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  /** The status and body of {@code GET path}. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The status and body of {@code POST path} with a JSON body. */
  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return client.send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code seq} of a command reply ({@code {"seq": ...}}), or -1 when it has none. */
  static long seqOf(String body) {
    Matcher m = SEQ.matcher(body);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
