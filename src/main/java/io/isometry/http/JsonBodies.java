package io.isometry.http;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Bodies of the API are JSON. One sent as another type is refused before it is read, with the fix
 * in the message: a form (what {@code curl -d} sends by default) would otherwise be decoded as one,
 * and fail on the first {@code %} or past Vert.x's form limits with nothing to say why. A body
 * without a type is read as JSON.
 */
final class JsonBodies implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext rc) {
    String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (rc.request().method() == HttpMethod.GET || type == null || isJson(type)) {
      rc.next();
      return;
    }
    rc.fail(new EngineError(ErrorCode.INVALID_REQUEST,
        "the body must be JSON, sent with 'Content-Type: application/json' (it was " + type + ")"));
  }

  private static boolean isJson(String type) {
    String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }
}
