package io.isometry.http;

import io.isometry.contract.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * A submit over the rate limit: HTTP 429 with {@code Retry-After}, and the error object
 * {@code {"error": "rate_limited", "message", "retryAfterMs"}} on REST and the WebSocket alike.
 */
final class RateLimited extends RuntimeException {

  static final String CODE = ErrorCode.RATE_LIMITED.wire();
  static final int STATUS = ErrorCode.RATE_LIMITED.status();

  private final long retryAfterMs;

  RateLimited(long retryAfterMs, int perSecond, int burst) {
    super("too many submits: at most " + perSecond + " per second, " + burst + " at once", null, false, false);
    this.retryAfterMs = retryAfterMs;
  }

  long retryAfterMs() {
    return retryAfterMs;
  }

  /** {@code Retry-After} counts whole seconds; rounded up, so a client that obeys it is not refused again. */
  long retryAfterSeconds() {
    return (retryAfterMs + 999) / 1000;
  }

  JsonObject toJson() {
    return new JsonObject().put("error", CODE).put("message", getMessage()).put("retryAfterMs", retryAfterMs);
  }
}
