package io.isometry.journal;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** Reads the fields of request bodies; every problem is an {@code invalid_request} naming the field. */
final class Bodies {

  private Bodies() {
  }

  /** The body as an object; an empty one for none. */
  static JsonObject of(Message<Object> message) {
    Object body = message.body();
    if (body == null) {
      return new JsonObject();
    }
    if (!(body instanceof JsonObject object)) {
      throw invalid("the body must be a JSON object");
    }
    return object;
  }

  static String id(JsonObject body) {
    if (!(body.getValue(Fields.ID) instanceof String id) || id.isEmpty()) {
      throw invalid("'id' is required");
    }
    return id;
  }

  static JsonObject object(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof JsonObject object)) {
      throw invalid("'" + field + "' must be an object");
    }
    return object;
  }

  /** A text field that may be absent (then empty). */
  static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw invalid("'" + field + "' must be a string");
    }
    return value == null ? "" : (String) value;
  }

  /** {@code stdout} (also when absent) or {@code stderr}. */
  static String stream(JsonObject body) {
    Object stream = body.getValue(Fields.STREAM);
    if (stream == null) {
      return "stdout";
    }
    if (!"stdout".equals(stream) && !"stderr".equals(stream)) {
      throw invalid("'stream' must be stdout or stderr");
    }
    return (String) stream;
  }

  static long nonNegative(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw invalid("'" + field + "' must be a non-negative integer");
    }
    return ((Number) value).longValue();
  }

  private static EngineError invalid(String message) {
    return new EngineError(ErrorCode.INVALID_REQUEST, message);
  }
}
