package io.isometry.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Puts the HTTP surface together: body limit, health, the REST API, the WebSocket feed, and error answers. */
final class ApiRouter {

  static final String WEB_SOCKET_PATH = RestApi.BASE + "/ws";

  private ApiRouter() {
  }

  static Router create(Vertx vertx, int maxBodyBytes, RestApi api, WebSocketFeed feed) {
    Router router = Router.router(vertx);
    // Every method, so that no body is read without the limit (and so that this catch-all route
    // never turns a 404 into a 405); no file uploads, so nothing lands on disk.
    router.route().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
    router.get("/health").handler(ApiRouter::health);
    router.get(RestApi.BASE + "/health").handler(ApiRouter::health);
    api.mount(router);
    router.get(WEB_SOCKET_PATH).handler(feed::accept);

    FailureResponder failures = new FailureResponder(maxBodyBytes);
    router.route().failureHandler(failures);
    // No route matched: not failures of a route, so the router asks its error handlers instead.
    router.errorHandler(404, failures);
    router.errorHandler(405, failures);
    return router;
  }

  private static void health(RoutingContext rc) {
    Responses.json(rc, 200, new JsonObject().put("status", "up"));
  }
}
