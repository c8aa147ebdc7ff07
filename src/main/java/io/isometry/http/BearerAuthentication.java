package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.auth.TokenRegistry;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>} of a known token, and
 * leaves the principal in the routing context for the routes behind it. Without one the answer is
 * 401 {@code unauthorized} with {@code WWW-Authenticate: Bearer}. The token is read from the header
 * only — never from the URL, where it would end up in histories, proxies' logs and Referer headers.
 */
final class BearerAuthentication implements Handler<RoutingContext> {

  private static final String PRINCIPAL = "isometry.principal";
  private static final String SCHEME = "bearer ";

  private final TokenRegistry tokens;

  BearerAuthentication(TokenRegistry tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext rc) {
    Optional<Principal> principal = authenticate(tokens, rc.request());
    if (principal.isEmpty()) {
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"isometry\"");
      rc.fail(new EngineError(ErrorCode.UNAUTHORIZED,
          "a valid token is needed: send it as 'Authorization: Bearer <token>'"));
      return;
    }
    rc.put(PRINCIPAL, principal.get());
    rc.next();
  }

  /** The principal of the request's {@code Authorization} header, if it names a valid token. */
  static Optional<Principal> authenticate(TokenRegistry tokens, HttpServerRequest request) {
    return tokens.authenticate(bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION)));
  }

  /** The principal that {@link #handle} let through. */
  static Principal principal(RoutingContext rc) {
    Principal principal = rc.get(PRINCIPAL);
    if (principal == null) {
      throw new IllegalStateException("the route is not behind the authentication handler");
    }
    return principal;
  }

  /** Routes that change something need a role that may control processes. */
  static Principal controller(RoutingContext rc) {
    Principal principal = principal(rc);
    if (!principal.mayControl()) {
      throw forbidden(principal);
    }
    return principal;
  }

  static EngineError forbidden(Principal principal) {
    return new EngineError(ErrorCode.FORBIDDEN,
        "the " + principal.role().wire() + " role may not run or control processes");
  }

  private static String bearerToken(String header) {
    if (header == null || header.length() <= SCHEME.length()
        || !header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return null;
    }
    return header.substring(SCHEME.length()).strip();
  }
}
