package io.isometry.http;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure of the router (a failed handler, a refused body, no matching route) into the
 * contract's error object with its status, so a client never sees an HTML page or a stack trace.
 */
final class FailureResponder implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureResponder.class);

  private final int maxBodyBytes;

  FailureResponder(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(RoutingContext rc) {
    if (rc.response().headWritten()) {
      // Too late for an error object: the client must not take a half-written answer for a whole one.
      rc.response().reset();
      return;
    }
    if (rc.failure() instanceof RateLimited limited) {
      rc.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
      Responses.json(rc, RateLimited.STATUS, limited.toJson());
      return;
    }
    if (rc.failure() instanceof HttpClosedException) {
      // The client went away mid-request: nobody to answer, and nothing wrong with the engine.
      LOG.debug("{} {}: the client closed the connection", rc.request().method(), rc.request().path());
      return;
    }
    EngineError error = errorOf(rc);
    if (error.code() == ErrorCode.QUEUE_FULL) {
      // A slot frees when a process ends; a second is a fair first wait, as for the rate limit.
      rc.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    }
    Responses.error(rc, error);
  }

  private EngineError errorOf(RoutingContext rc) {
    Throwable failure = rc.failure();
    if (failure instanceof EngineError || failure instanceof ReplyException) {
      return EngineError.from(failure);
    }
    String target = rc.request().method() + " " + rc.request().path();
    return switch (rc.statusCode()) {
      case 400 -> new EngineError(ErrorCode.INVALID_REQUEST, "malformed request");
      case 404 -> new EngineError(ErrorCode.NOT_FOUND, "nothing at " + rc.request().path());
      case 405 -> new EngineError(ErrorCode.METHOD_NOT_ALLOWED, target + " is not allowed");
      case 413 -> new EngineError(ErrorCode.PAYLOAD_TOO_LARGE,
          "the body is larger than the limit of " + maxBodyBytes + " bytes");
      default -> unexpected(rc, target, failure);
    };
  }

  private static EngineError unexpected(RoutingContext rc, String target, Throwable failure) {
    if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
      return new EngineError(ErrorCode.INVALID_REQUEST, "the request was refused (HTTP " + rc.statusCode() + ")");
    }
    LOG.error("Unexpected failure answering {}", target, failure);
    return EngineError.from(failure);
  }
}
