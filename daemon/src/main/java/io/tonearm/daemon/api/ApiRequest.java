package io.tonearm.daemon.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.tonearm.daemon.access.Caller;
import io.tonearm.daemon.errors.IntParameter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One HTTP API request, stripped of Netty: what handlers outside {@code transport} see.
 *
 * @param method upper-case HTTP method
 * @param path decoded path without the query
 * @param pathParams values of the route's {@code {name}} segments
 * @param query decoded query parameters
 * @param body the request body (at most the configured body limit), empty when none
 * @param protobuf true when the body is {@code application/x-protobuf}, false for JSON
 * @param client who sent it, e.g. {@code "http:127.0.0.1:53122"}
 * @param headers request headers, names in lower case (the first value of each)
 * @param caller who the request acts as (its token, or trusted loopback) and where it came from
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, List<String>> query,
    byte[] body,
    boolean protobuf,
    String client,
    Map<String, String> headers,
    Caller caller) {

  private static final JsonFormat.Parser JSON = JsonFormat.parser();

  /** A request of the daemon itself (tests, internal callers): trusted, no address. */
  public ApiRequest(
      String method,
      String path,
      Map<String, String> pathParams,
      Map<String, List<String>> query,
      byte[] body,
      boolean protobuf,
      String client,
      Map<String, String> headers) {
    this(method, path, pathParams, query, body, protobuf, client, headers, Caller.INTERNAL);
  }

  /** A request without headers (tests, internal callers). */
  public ApiRequest(
      String method,
      String path,
      Map<String, String> pathParams,
      Map<String, List<String>> query,
      byte[] body,
      boolean protobuf,
      String client) {
    this(method, path, pathParams, query, body, protobuf, client, Map.of());
  }

  /** A request header by lower-case name, or null. */
  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  /** A path parameter of the route; never null for a parameter the route declares. */
  public String param(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no parameter " + name);
    }
    return v;
  }

  /** The first value of a query parameter, or {@code fallback}. */
  public String queryParam(String name, String fallback) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? fallback : v.get(0);
  }

  /** A query parameter as an int in [min, max], or {@code fallback} when absent. */
  public int intParam(String name, int fallback, int min, int max) {
    return IntParameter.parse(name, queryParam(name, null), fallback, min, max);
  }

  /**
   * Parses the body into {@code builder} (protobuf or protobuf's JSON mapping). An empty body
   * leaves the builder empty (a command whose request has required fields then refuses it). Unknown
   * JSON fields, malformed or non-strict JSON, text after the object and an array given for a
   * single value are a 400.
   */
  public <B extends Message.Builder> B parse(B builder) {
    if (body.length == 0) {
      return builder;
    }
    try {
      if (protobuf) {
        builder.mergeFrom(body);
      } else if (!FlatJson.merge(body, builder)) {
        String text = new String(body, StandardCharsets.UTF_8);
        StrictJson.check(text, builder.getDescriptorForType());
        JSON.merge(text, builder);
      }
    } catch (ApiException e) {
      throw e;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new ApiException(
          400,
          "bad_request",
          "malformed " + (protobuf ? "protobuf" : "JSON") + " body: " + e.getMessage(),
          Map.of("type", builder.getDescriptorForType().getFullName()));
    }
    return builder;
  }
}
