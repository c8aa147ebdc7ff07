package io.isometry.http;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder could not read (a request line or headers over the server's
 * limits, a malformed head) as the router answers everything else: the contract's error body and
 * the security headers, with the status Vert.x would give (414, 431 or 400). The connection is then
 * closed, as Vert.x does: what follows a head it could not read cannot be trusted to start a request.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

  private static final int URI_TOO_LONG = 414;
  private static final int HEADERS_TOO_LARGE = 431;
  private static final int BAD_REQUEST = 400;

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = URI_TOO_LONG;
      message = "the request line is longer than the server reads";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = HEADERS_TOO_LARGE;
      message = "the request's headers are larger than the server reads";
    } else {
      status = BAD_REQUEST;
      message = "malformed request";
    }
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    Responses.errorOutsideRouter(request.response(), status, new EngineError(ErrorCode.INVALID_REQUEST, message))
        .onComplete(sent -> request.connection().close());
  }
}
