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

  /**
   * A route; {@code name} ("METHOD pattern", what a match reports) is made once here, and {@code
   * hasParams} says whether a match must collect parameters, so that matching a request allocates
   * no string and no map for a route without any (every request is matched).
   */
  private record Route(
      String method,
      String pattern,
      String name,
      String[] segments,
      boolean hasParams,
      ApiHandler handler) {}

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
    String[] segments = split(pattern);
    boolean hasParams = false;
    for (String seg : segments) {
      hasParams |= isParam(seg);
    }
    routes.add(new Route(method, pattern, method + " " + pattern, segments, hasParams, handler));
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
      Map<String, String> params = matchSegments(r.segments, r.hasParams, parts);
      if (params != null) {
        return Optional.of(new Match(r.name, r.handler, params));
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
      if (matchSegments(r.segments, r.hasParams, parts) != null) {
        methods.add(r.method);
        if (r.method.equals("GET")) {
          methods.add("HEAD");
        }
      }
    }
    return java.util.List.copyOf(methods);
  }

  /** The path's parameters (an empty immutable map for a route without any), or null. */
  private static Map<String, String> matchSegments(
      String[] pattern, boolean hasParams, String[] parts) {
    if (pattern.length != parts.length) {
      return null;
    }
    Map<String, String> params = hasParams ? new HashMap<>() : Map.of();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (isParam(p)) {
        params.put(p.substring(1, p.length() - 1), parts[i]);
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }

  private static boolean isParam(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
