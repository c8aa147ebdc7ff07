package io.isometry.http;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}; each submit takes one.
 * Time comes from the caller (nanoseconds of a monotonic clock), so tests need not sleep.
 */
final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double capacity;
  private final double perNano;
  private double tokens;
  private long updatedAt;

  TokenBucket(int perSecond, int burst, long now) {
    this.capacity = burst;
    this.perNano = (double) perSecond / NANOS_PER_SECOND;
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes a token: 0 when there was one, or else the nanoseconds until there will be. */
  long take(long now) {
    tokens = Math.min(capacity, tokens + (now - updatedAt) * perNano);
    updatedAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }
}
