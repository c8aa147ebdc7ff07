package io.isometry.supervisor;

import io.isometry.contract.SubmitRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The idempotency keys this engine took since it started: one owner's key names the record of that
 * owner's first request with it, for {@link SubmitRequest#IDEMPOTENCY_WINDOW_MS}. Older requests,
 * and those of earlier runs, are the journal's to answer. Owned by the supervisor actor.
 */
final class IdempotencyKeys {

  private record Keyed(String id, Instant at) {
  }

  private final Map<String, Keyed> keys = new HashMap<>();

  void remember(String owner, String key, String id, Instant at) {
    keys.put(pair(owner, key), new Keyed(id, at));
  }

  /** The id of {@code owner}'s first request with {@code key} within the window before {@code now}, or null. */
  String first(String owner, String key, Instant now) {
    Keyed keyed = keys.get(pair(owner, key));
    return keyed != null && keyed.at().isAfter(windowStart(now)) ? keyed.id() : null;
  }

  /** Forgets {@code key} if it still names {@code id}: that request never ran, so a retry may run it. */
  void forget(String owner, String key, String id) {
    keys.computeIfPresent(pair(owner, key), (pair, keyed) -> keyed.id().equals(id) ? null : keyed);
  }

  /** Forgets the keys whose window has closed. */
  void evict(Instant now) {
    Instant since = windowStart(now);
    keys.values().removeIf(keyed -> !keyed.at().isAfter(since));
  }

  private static Instant windowStart(Instant now) {
    return now.minusMillis(SubmitRequest.IDEMPOTENCY_WINDOW_MS);
  }

  private static String pair(String owner, String key) {
    // A principal name never holds a newline (EngineConfig.PRINCIPAL_NAME), so the pair is unambiguous.
    return owner + "\n" + key;
  }
}
