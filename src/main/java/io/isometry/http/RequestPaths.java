package io.isometry.http;

import io.vertx.core.internal.net.RFC3986;
import java.util.Optional;

/**
 * Request paths as the router matches them: normalised as RFC 3986 says (percent-decoded where that
 * changes nothing, dot segments removed; Vert.x's own normaliser, the router's), and with a trailing
 * slash, which the router's exact routes also accept, taken off. For what is answered before the
 * router sees it, so that every spelling the router would have matched is still matched.
 */
final class RequestPaths {

  private RequestPaths() {
  }

  /** The path the router would match; empty when it cannot be normalised. */
  static Optional<String> canonical(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Optional.empty();
    }
    String path;
    try {
      path = RFC3986.normalizePath(raw);
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
    if (path == null) {
      return Optional.empty();
    }
    return Optional.of(path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
  }
}
