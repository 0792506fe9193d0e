package io.tonearm.daemon.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTP requests to a test daemon with a bearer token (or none), JSON bodies. */
public final class AccessClient {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final int port;

  public AccessClient(int port) {
    this.port = port;
  }

  /**
   * {@code method path} with {@code body} as JSON (null for none) and the token (null for none).
   */
  public HttpResponse<String> send(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      r.header("Content-Type", "application/json");
      r.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Makes a token over the API with the admin token; returns its secret. */
  public String create(String admin, String name, String... scopes) throws Exception {
    return createToken(admin, name, "", scopes);
  }

  /** Makes a token limited to {@code zone} over the API with the admin token; its secret. */
  public String createForZone(String admin, String name, String zone, String... scopes)
      throws Exception {
    return createToken(admin, name, ",\"zones\":[\"" + zone + "\"]", scopes);
  }

  /** Makes zone {@code id} over the API with the admin token (201 expected). */
  public void createZone(String admin, String id) throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/zones", "{\"id\":\"" + id + "\"}", admin);
    if (r.statusCode() != 201) {
      throw new AssertionError("zone create: " + r.statusCode() + " " + r.body());
    }
  }

  /** A refusal as "STATUS code", e.g. "403 zone_forbidden". */
  public static String code(HttpResponse<String> r) {
    int at = r.body().indexOf("\"code\":\"") + 8;
    return r.statusCode() + " " + r.body().substring(at, r.body().indexOf('"', at));
  }

  private String createToken(String admin, String name, String more, String... scopes)
      throws Exception {
    StringBuilder s = new StringBuilder();
    for (String sc : scopes) {
      s.append(s.length() == 0 ? "" : ",").append('"').append(sc).append('"');
    }
    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/tokens",
            "{\"name\":\"" + name + "\",\"scopes\":[" + s + "]" + more + "}",
            admin);
    if (r.statusCode() != 201) {
      throw new AssertionError("token create: " + r.statusCode() + " " + r.body());
    }
    int at = r.body().indexOf("\"secret\":\"") + 10;
    return r.body().substring(at, r.body().indexOf('"', at));
  }

  /** The public id in a token create reply or list entry named {@code name}. */
  public String idOf(String admin, String name) throws Exception {
    String body = send("GET", "/api/v1/tokens", null, admin).body();
    int n = body.indexOf("\"name\":\"" + name + "\"");
    int id = body.lastIndexOf("\"id\":\"", n) + 6;
    return body.substring(id, body.indexOf('"', id));
  }
}
