package io.isometry.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every response that keep the console from being turned against its user: no script,
 * style or connection but the engine's own (the console keeps its code in files, so no inline script
 * is ever needed), no framing (clickjacking), no content-type guessing, no Referer carrying a URL
 * out of the page.
 */
final class SecurityHeaders implements Handler<RoutingContext> {

  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'");

  @Override
  public void handle(RoutingContext rc) {
    apply(rc.response());
    rc.next();
  }

  /** Sets the headers on a response answered outside the router (the feed's refused handshakes). */
  static void apply(HttpServerResponse response) {
    MultiMap headers = response.headers();
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
  }
}
