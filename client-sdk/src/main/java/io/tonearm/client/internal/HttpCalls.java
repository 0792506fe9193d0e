package io.tonearm.client.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import io.tonearm.client.ServerErrorException;
import io.tonearm.client.TonearmException;
import io.tonearm.client.UnreachableException;
import io.tonearm.proto.v1.Error;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends one API request over HTTP/1.1 with binary protobuf both ways and turns the answer into a
 * message or a {@link TonearmException}. Thread-safe; the JDK's HTTP client keeps the connections.
 */
public final class HttpCalls {

  static final String PROTOBUF = "application/x-protobuf";

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;
  private final String authorization;
  private final String zone;

  /**
   * @param token a bearer token sent with every request, or null
   */
  public HttpCalls(URI base, Duration connectTimeout, Duration callTimeout, String token) {
    this(base, connectTimeout, callTimeout, token, null);
  }

  /**
   * @param tls the certificates trusted for an {@code https} base; null for plain HTTP
   */
  public HttpCalls(URI base, Duration connectTimeout, Duration callTimeout, String token, Tls tls) {
    this(base, connectTimeout, callTimeout, token, tls, null);
  }

  /**
   * @param zone sent as {@code X-Tonearm-Zone} with every request, or null for none
   */
  public HttpCalls(
      URI base, Duration connectTimeout, Duration callTimeout, String token, Tls tls, String zone) {
    this.zone = zone;
    this.base = base;
    this.timeout = callTimeout;
    this.authorization = token == null ? null : "Bearer " + token;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (tls != null) {
      b.sslContext(tls.jdk());
    }
    this.http = b.build();
  }

  /** A request whose reply is the message {@code parser} reads. {@code body} may be null. */
  public <T extends Message> CompletableFuture<T> message(
      String method, String pathAndQuery, Message body, Parser<T> parser) {
    return send(method, pathAndQuery, body == null ? null : body.toByteArray(), PROTOBUF)
        .thenApply(
            bytes -> {
              try {
                return parser.parseFrom(bytes);
              } catch (InvalidProtocolBufferException e) {
                throw new TonearmException("malformed reply to " + pathAndQuery, e);
              }
            });
  }

  /** A request whose reply is raw bytes (artwork, M3U, waveform data). */
  public CompletableFuture<byte[]> bytes(
      String method, String pathAndQuery, byte[] body, String contentType) {
    return send(method, pathAndQuery, body, contentType);
  }

  private CompletableFuture<byte[]> send(
      String method, String pathAndQuery, byte[] body, String contentType) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(base.resolve(pathAndQuery))
            .timeout(timeout)
            .header("Accept", PROTOBUF + ", */*");
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    if (zone != null) {
      r.header("X-Tonearm-Zone", zone);
    }
    if (body != null) {
      r.header("Content-Type", contentType);
      r.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    }
    String what = method + " " + pathAndQuery;
    CompletableFuture<byte[]> out = new CompletableFuture<>();
    http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (resp, failure) -> {
              if (failure != null) {
                out.completeExceptionally(unreachable(what, unwrap(failure)));
              } else if (resp.statusCode() >= 300) {
                out.completeExceptionally(serverError(what, resp));
              } else {
                out.complete(resp.body());
              }
            });
    return out;
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private TonearmException unreachable(String what, Throwable cause) {
    String why;
    if (cause instanceof HttpConnectTimeoutException) {
      why = "connect timed out";
    } else if (cause instanceof HttpTimeoutException) {
      why = "no reply within " + timeout.toMillis() + " ms";
    } else if (cause instanceof ConnectException) {
      why = "connection refused";
    } else if (cause instanceof IOException) {
      why = "connection lost (" + cause.getMessage() + ")";
    } else {
      return new TonearmException(what + " failed: " + cause, cause);
    }
    return new UnreachableException(
        "daemon at "
            + base.getHost()
            + ":"
            + base.getPort()
            + " unreachable: "
            + why
            + " ("
            + what
            + ")",
        cause);
  }

  private static ServerErrorException serverError(String what, HttpResponse<byte[]> resp) {
    String type = resp.headers().firstValue("Content-Type").orElse("");
    Error.Builder e = Error.newBuilder();
    try {
      if (type.startsWith(PROTOBUF)) {
        e.mergeFrom(resp.body());
      } else if (type.startsWith("application/json") && resp.body().length > 0) {
        JsonFormat.parser()
            .ignoringUnknownFields()
            .merge(new String(resp.body(), StandardCharsets.UTF_8), e);
      }
    } catch (IOException ignored) {
      // an unreadable error body: the status alone says what failed
    }
    if (e.getCode().isEmpty()) {
      e.setCode("http_" + resp.statusCode());
    }
    if (e.getMessage().isEmpty()) {
      e.setMessage(what + " answered " + resp.statusCode());
    }
    return new ServerErrorException(resp.statusCode(), e.build());
  }
}
