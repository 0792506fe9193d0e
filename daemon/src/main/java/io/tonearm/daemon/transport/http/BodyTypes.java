package io.tonearm.daemon.transport.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;
import java.util.Set;

/**
 * The body types a state-changing API request may carry: JSON or binary protobuf (an M3U playlist
 * for the import; {@code application/octet-stream}, {@code application/zip} or any {@code audio/*}
 * type for an upload). Half of the cross-site rule ({@link OriginPolicy} is the other): a page on
 * another site can make a browser send a form ({@code application/x-www-form-urlencoded}, {@code
 * multipart/form-data}) or {@code text/plain} POST without asking this daemon first (no CORS
 * preflight), and a browser that leaves out the Origin header would get it through; any other type
 * needs a preflight, which only allowed origins pass. Stateless.
 */
public final class BodyTypes {

  /** The types a command body may have, without parameters. */
  public static final Set<String> COMMAND =
      Set.of("application/json", "application/x-protobuf", "application/protobuf");

  /** The types an M3U import may have. */
  public static final Set<String> M3U =
      Set.of(
          "audio/x-mpegurl",
          "audio/mpegurl",
          "application/x-mpegurl",
          "application/vnd.apple.mpegurl");

  /** Where uploads go: {@code PUT /api/v1/library/uploads/{name}}. */
  public static final String UPLOADS = "/api/v1/library/uploads/";

  /** The types a browser sends cross-site without a preflight (the CORS-safelisted ones). */
  private static final Set<String> SIMPLE =
      Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

  private BodyTypes() {}

  /**
   * Why a request may not proceed, or null when it may. Only state-changing methods under {@code
   * /api/} are checked.
   *
   * @param contentType the Content-Type header, null when absent
   * @param bodyBytes the body's length
   */
  public static String refusal(HttpMethod method, String path, String contentType, int bodyBytes) {
    if (method.equals(HttpMethod.GET)
        || method.equals(HttpMethod.HEAD)
        || method.equals(HttpMethod.OPTIONS)
        || !path.startsWith("/api/")) {
      return null;
    }
    String type =
        contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (type != null && SIMPLE.contains(type)) {
      return "a "
          + type
          + " body is refused (a form or text POST from another site could send"
          + " it); send Content-Type: application/json or application/x-protobuf";
    }
    if (bodyBytes == 0) {
      return null;
    }
    if (path.startsWith(UPLOADS)) {
      if (type != null
          && (type.equals("application/octet-stream")
              || type.equals("application/zip")
              || type.startsWith("audio/"))) {
        return null;
      }
      return "an upload needs Content-Type application/octet-stream, application/zip or audio/*"
          + (type == null ? "" : ", got " + type);
    }
    Set<String> allowed = path.equals("/api/v1/playlists/import") ? M3U : COMMAND;
    if (type == null || !allowed.contains(type)) {
      return "a body needs Content-Type "
          + String.join(" or ", allowed.stream().sorted().toList())
          + (type == null ? "" : ", got " + type);
    }
    return null;
  }
}
