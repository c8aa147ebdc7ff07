package io.isometry.http;

import io.isometry.auth.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The submit rate limit ({@code http.submitRatePerSecond}, {@code http.submitBurst}): one bucket per
 * principal, shared by REST, the WebSocket feed and both bridges, so a second token of the same
 * principal or a second transport does not multiply the rate. Used on the HTTP verticle's context
 * only. Principals come from the configured tokens, so the map stays as small as that list.
 */
final class SubmitLimiter {

  private final int perSecond;
  private final int burst;
  private final LongSupplier nanoClock;
  private final Map<String, TokenBucket> buckets = new HashMap<>();

  SubmitLimiter(int perSecond, int burst, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  /**
   * Counts one submit of {@code principal}.
   *
   * @throws RateLimited when it has used up its burst, saying when to try again
   */
  void acquire(Principal principal) {
    long now = nanoClock.getAsLong();
    long waitNanos = buckets.computeIfAbsent(principal.name(), name -> new TokenBucket(perSecond, burst, now)).take(now);
    if (waitNanos > 0) {
      throw new RateLimited(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)), perSecond, burst);
    }
  }
}
