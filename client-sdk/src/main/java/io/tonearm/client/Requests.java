package io.tonearm.client;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.tonearm.client.internal.HttpCalls;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;

/** Makes {@link Call}s over one transport and checks arguments for the call groups. */
final class Requests {

  private final HttpCalls http;
  private final CommandSocket socket;

  /**
   * @param socket where player, queue and outputs commands go in socket mode; null for HTTP
   */
  Requests(HttpCalls http, CommandSocket socket) {
    this.http = http;
    this.socket = socket;
  }

  /**
   * A command of the daemon's command table: over the socket in socket mode ({@code name} and
   * {@code params}), else over HTTP ({@code method} and {@code path}).
   */
  <T extends Message> Call<T> command(
      String name,
      java.util.Map<String, String> params,
      String method,
      String path,
      Message body,
      Parser<T> parser) {
    if (socket == null) {
      return send(method, path, body, parser);
    }
    return new Call<>(() -> socket.command(name, body, params, parser));
  }

  <T extends Message> Call<T> get(String path, Parser<T> parser) {
    return new Call<>(() -> http.message("GET", path, null, parser));
  }

  <T extends Message> Call<T> send(String method, String path, Message body, Parser<T> parser) {
    return new Call<>(() -> http.message(method, path, body, parser));
  }

  Call<byte[]> bytes(String method, String path, byte[] body, String contentType) {
    return new Call<>(() -> http.bytes(method, path, body, contentType));
  }

  /** A path segment or query value, percent-encoded. */
  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** An id: non-null, not blank, at most 200 characters. */
  static String id(String what, String id) {
    Objects.requireNonNull(id, what);
    if (id.isBlank() || id.length() > 200) {
      throw new IllegalArgumentException(what + " must be 1 to 200 non-blank characters");
    }
    return id;
  }

  static <C extends Collection<String>> C ids(String what, C ids) {
    Objects.requireNonNull(ids, what);
    for (String id : ids) {
      id(what, id);
    }
    return ids;
  }

  static int range(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  /** Appends {@code &name=value} (or {@code ?name=value} first) when value is not null. */
  static void query(StringBuilder path, String name, Object value) {
    if (value != null) {
      path.append(path.indexOf("?") < 0 ? '?' : '&')
          .append(name)
          .append('=')
          .append(enc(String.valueOf(value)));
    }
  }
}
