package io.isometry.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which web pages may open the engine's sockets: its own (the console), and the origins of
 * {@code http.allowedOrigins}. Browsers send {@code Origin} with every WebSocket handshake and do not
 * apply CORS to it, so without this check any page a user visits could open a socket to the engine on
 * their machine (cross-site WebSocket hijacking). A request without {@code Origin} comes from a
 * program, not a page, and is let through: its token decides.
 */
final class OriginPolicy {

  private final Set<String> allowed;

  OriginPolicy(List<String> allowedOrigins) {
    this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
  }

  List<String> allowedOrigins() {
    return List.copyOf(allowed);
  }

  boolean allows(HttpServerRequest request) {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null) {
      return true;
    }
    String normalised = normalise(origin);
    return allowed.contains(normalised) || isSameOrigin(normalised, request);
  }

  /** The page was served by this engine: its origin names the host the request was sent to. */
  private static boolean isSameOrigin(String origin, HttpServerRequest request) {
    String host = request.authority() == null ? null : request.authority().toString();
    if (host == null) {
      return false;
    }
    String scheme = request.isSSL() ? "https://" : "http://";
    return origin.equals(normalise(scheme + host));
  }

  private static String normalise(String origin) {
    String lower = origin.trim().toLowerCase(Locale.ROOT);
    return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
