package io.isometry.journal;

import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * A history search: every word of {@code q} must occur (as a substring, ignoring ASCII case) in the
 * command or the label; {@code owner} restricts it to one owner's records (null: all).
 */
record HistoryQuery(List<String> words, String owner, int limit) {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  private static final int MAX_QUERY_LENGTH = 1000;

  static HistoryQuery from(JsonObject body, Caller caller) {
    JsonObject request = body == null ? new JsonObject() : body;
    Object q = request.getValue("q");
    if (q != null && !(q instanceof String)) {
      throw EngineError.invalid("'q' must be a string");
    }
    String text = q == null ? "" : (String) q;
    if (text.length() > MAX_QUERY_LENGTH) {
      throw EngineError.invalid("'q' is longer than " + MAX_QUERY_LENGTH + " characters");
    }
    List<String> words = Arrays.stream(text.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    return new HistoryQuery(words, caller.ownerFilter(), limit(request));
  }

  /** A request's {@code limit}: 1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} when absent. */
  static int limit(JsonObject request) {
    Object limit = request.getValue(Fields.LIMIT);
    if (limit != null && !(limit instanceof Integer || limit instanceof Long)) {
      throw EngineError.invalid("'limit' must be an integer");
    }
    long max = limit == null ? DEFAULT_LIMIT : ((Number) limit).longValue();
    if (max < 1 || max > MAX_LIMIT) {
      throw EngineError.invalid("'limit' must be between 1 and " + MAX_LIMIT);
    }
    return (int) max;
  }
}
