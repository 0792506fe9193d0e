package io.tonearm.daemon.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps {@code METHOD /path/{param}} patterns to handlers. Filled once at start by each capability's
 * routes, then read-only and shared by every event loop.
 */
public final class Router {

  /** A matched route: its pattern, its handler and the values of its path parameters. */
  public record Match(String pattern, ApiHandler handler, Map<String, String> params) {}

  private record Route(String method, String pattern, String[] segments, ApiHandler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private String fallbackPrefix;
  private ApiHandler fallback;

  /**
   * Answers every path under {@code prefix} that no route takes (a relay's proxy to the origin).
   */
  public Router fallback(String prefix, ApiHandler handler) {
    this.fallbackPrefix = prefix;
    this.fallback = handler;
    return this;
  }

  /** Adds a route; {@code pattern} segments written {@code {name}} match any one segment. */
  public Router add(String method, String pattern, ApiHandler handler) {
    routes.add(new Route(method, pattern, split(pattern), handler));
    return this;
  }

  public Router get(String pattern, ApiHandler handler) {
    return add("GET", pattern, handler);
  }

  public Router post(String pattern, ApiHandler handler) {
    return add("POST", pattern, handler);
  }

  public Router put(String pattern, ApiHandler handler) {
    return add("PUT", pattern, handler);
  }

  public Router delete(String pattern, ApiHandler handler) {
    return add("DELETE", pattern, handler);
  }

  /** The route for this method and path, if any. */
  public Optional<Match> match(String method, String path) {
    String[] parts = split(path);
    for (Route r : routes) {
      if (!r.method.equals(method)) {
        continue;
      }
      Map<String, String> params = matchSegments(r.segments, parts);
      if (params != null) {
        return Optional.of(new Match(r.method + " " + r.pattern, r.handler, params));
      }
    }
    if (fallback != null && path.startsWith(fallbackPrefix)) {
      return Optional.of(new Match(method + " " + fallbackPrefix + "*", fallback, Map.of()));
    }
    return Optional.empty();
  }

  /**
   * The methods some route takes this path with, in the order the routes were added, with {@code
   * HEAD} after {@code GET} (a HEAD is answered as the GET without its body): the {@code Allow}
   * header of a 405 (RFC 9110 section 15.5.6). Empty when no route takes the path.
   */
  public java.util.List<String> allowed(String path) {
    String[] parts = split(path);
    java.util.LinkedHashSet<String> methods = new java.util.LinkedHashSet<>();
    for (Route r : routes) {
      if (matchSegments(r.segments, parts) != null) {
        methods.add(r.method);
        if (r.method.equals("GET")) {
          methods.add("HEAD");
        }
      }
    }
    return java.util.List.copyOf(methods);
  }

  private static Map<String, String> matchSegments(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        params.put(p.substring(1, p.length() - 1), parts[i]);
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
