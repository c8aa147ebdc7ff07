package io.isometry.http;

import io.isometry.contract.EngineError;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes the API's responses: JSON bodies, the contract's error objects, and plain text. */
final class Responses {

  static final String JSON = "application/json; charset=utf-8";
  static final String TEXT = "text/plain; charset=utf-8";

  private Responses() {
  }

  static void json(RoutingContext rc, int status, JsonObject body) {
    send(rc, status, JSON, body.encode());
  }

  static void error(RoutingContext rc, EngineError error) {
    json(rc, error.code().status(), error.toJson());
  }

  /**
   * The contract's error on a response answered outside the router (the feed's refused handshakes,
   * heads the decoder could not read), with the headers the router's handlers would have set.
   */
  static Future<Void> errorOutsideRouter(HttpServerResponse response, int status, EngineError error) {
    SecurityHeaders.apply(response);
    return response.setStatusCode(status)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(error.toJson().encode());
  }

  static void text(RoutingContext rc, String body) {
    send(rc, 200, TEXT, body);
  }

  private static void send(RoutingContext rc, int status, String contentType, String body) {
    send(rc.response(), status, contentType, body);
  }

  private static void send(HttpServerResponse response, int status, String contentType, String body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
  }
}
