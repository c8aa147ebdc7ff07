package io.isometry.http;

import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.metrics.EngineMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.Set;

/**
 * Puts the HTTP surface together, in the order requests meet it: the WebSocket feed's handshake,
 * taken before the router (the feed needs the server's own socket, see {@link WebSocketFeed#accept});
 * then the router: security headers; the SockJS bridge (before the body handler, which would read
 * its handshakes; it authenticates its own way); CORS when origins are allowed; the public
 * {@code /health}; the bearer token for the rest of {@code /api/v1}, then its bodies' type; the body
 * limit; the REST API; the console's static files; error answers.
 */
final class ApiRouter {

  static final String WEB_SOCKET_PATH = RestApi.BASE + "/ws";
  /** The console's files, from the jar. */
  static final String WEB_ROOT = "webroot";
  private static final String CONSOLE_PATHS = "^/(?!api/|eventbus/).*";

  /** What the router is made of. */
  record Parts(int maxBodyBytes, OriginPolicy origins, BearerAuthentication authentication, RestApi api,
               WebSocketFeed feed, SockJsBridge sockJs) {
  }

  private static final long HEALTH_TIMEOUT_MS = 5_000;

  private ApiRouter() {
  }

  static Handler<HttpServerRequest> create(Vertx vertx, Parts parts) {
    Router router = router(vertx, parts);
    return request -> {
      if (WebSocketFeed.isHandshake(request)) {
        parts.feed().accept(request);
      } else {
        router.handle(request);
      }
    };
  }

  private static Router router(Vertx vertx, Parts parts) {
    Router router = Router.router(vertx);
    router.route().handler(new SecurityHeaders());

    router.route(SockJsBridge.PATH + "/*").handler(rc -> {
      if (parts.origins().allows(rc.request())) {
        rc.next();
      } else {
        rc.fail(new EngineError(ErrorCode.FORBIDDEN, "pages of this origin may not use the event bus"));
      }
    });
    router.route(SockJsBridge.PATH + "/*").subRouter(parts.sockJs().router());

    if (!parts.origins().allowedOrigins().isEmpty()) {
      router.route(RestApi.BASE + "/*").handler(CorsHandler.create()
          .addOrigins(parts.origins().allowedOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST))
          .allowedHeaders(Set.of(HttpHeaders.AUTHORIZATION.toString(), HttpHeaders.CONTENT_TYPE.toString())));
    }
    for (String health : List.of("/health", RestApi.BASE + "/health")) {
      router.route(health).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(rc -> health(vertx, rc));
      router.route(health).handler(rc -> rc.fail(405));
    }
    // The token before the body: nothing of a request without one is read, or judged.
    router.route(RestApi.BASE + "/*").handler(ApiRouter::noStore).handler(parts.authentication())
        .handler(new JsonBodies());
    // Every method, so that no body is read without the limit (and so that this catch-all route
    // never turns a 404 into a 405); no file uploads, so nothing lands on disk.
    router.route().handler(BodyHandler.create(false).setBodyLimit(parts.maxBodyBytes()));
    parts.api().mount(router);
    // The feed's handshake never gets here (see create): any other method on its path is one it does not allow.
    router.route(WEB_SOCKET_PATH).handler(rc -> rc.fail(405));
    // Prometheus text, for any valid token; at the root, where scrapers look, and under the API.
    Handler<RoutingContext> metrics = PrometheusScrapingHandler.create(EngineMetrics.registry(vertx));
    router.get("/metrics").handler(ApiRouter::noStore).handler(parts.authentication()).handler(metrics);
    router.get(RestApi.BASE + "/metrics").handler(metrics);
    // Not under /api/ nor the bridge, so that a wrong method on an API route stays a 405.
    // Fetched afresh on every load (they are small): the files are not versioned, and a console cached
    // for a day would outlive an upgrade of the engine it talks to; its page's address may carry a token.
    router.routeWithRegex(CONSOLE_PATHS).method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(rc -> {
          rc.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
          rc.next();
        })
        .handler(StaticHandler.create(WEB_ROOT).setDirectoryListing(false).setIncludeHidden(false)
            .setCachingEnabled(false));

    FailureResponder failures = new FailureResponder(parts.maxBodyBytes());
    router.route().failureHandler(failures);
    // No route matched: not failures of a route, so the router asks its error handlers instead.
    router.errorHandler(404, failures);
    router.errorHandler(405, failures);
    return router;
  }

  /**
   * Up, or 503 degraded with the reason while the journal cannot write (new submits are refused then,
   * running processes go on). A node without a journal (an embedding that deploys none) is up.
   */
  private static void health(Vertx vertx, RoutingContext rc) {
    vertx.eventBus().<JsonObject>request(Addresses.HEALTH, new JsonObject(), new DeliveryOptions().setSendTimeout(HEALTH_TIMEOUT_MS))
        .onComplete(answer -> {
          if (answer.succeeded()) {
            JsonObject health = answer.result().body();
            Responses.json(rc, "up".equals(health.getString(Fields.STATUS)) ? 200 : 503, health);
          } else if (answer.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            Responses.json(rc, 200, new JsonObject().put(Fields.STATUS, "up"));
          } else {
            Responses.json(rc, 503, new JsonObject().put(Fields.STATUS, "degraded")
                .put(Fields.REASON, "the journal did not answer: " + answer.cause().getMessage()));
          }
        });
  }

  /** Answers of the API are about live state and ask for a token: nothing in between may keep them. */
  private static void noStore(RoutingContext rc) {
    rc.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    rc.next();
  }
}
