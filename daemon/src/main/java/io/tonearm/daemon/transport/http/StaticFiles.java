package io.tonearm.daemon.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web page's files, served from the jar's {@code /web/} folder (the Vite build of {@code
 * src/main/web}) and cached after the first read. Only plain names are served: no {@code ..}, no
 * absolute paths. Only files that exist are cached, so the cache is bounded by the jar's files
 * whatever names clients ask for. Thread-safe.
 */
public final class StaticFiles {

  /** A file's bytes and its content type. */
  public record File(byte[] body, String contentType, String etag) {}

  private static final Pattern SAFE =
      Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*\\.[a-z0-9]+");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json");

  private final Map<String, File> cache = new ConcurrentHashMap<>();

  /** The file at {@code path} ("/" is index.html), or empty when there is none. */
  public Optional<File> get(String path) {
    String name = path.equals("/") ? "index.html" : path.substring(1);
    if (!SAFE.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    File hit = cache.get(name);
    if (hit != null) {
      return Optional.of(hit);
    }
    Optional<File> f = load(name);
    f.ifPresent(file -> cache.putIfAbsent(name, file));
    return f;
  }

  /** True for the build's content-hashed assets ({@code /assets/index-Ab12Cd.js}): never change. */
  public static boolean immutable(String path) {
    return path.startsWith("/assets/");
  }

  /** Files held in the cache. */
  int cached() {
    return cache.size();
  }

  private static Optional<File> load(String name) {
    try (InputStream in = StaticFiles.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      String ext = name.substring(name.lastIndexOf('.') + 1);
      String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "\"";
      return Optional.of(new File(body, TYPES.getOrDefault(ext, "application/octet-stream"), etag));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
