package io.isometry.supervisor;

import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * How the supervisor's event-bus requests are read and answered: the body's fields checked for
 * type, the caller taken from the headers, and every failure, expected or not, answered with the
 * contract's error instead of being lost.
 */
final class Requests {

  private Requests() {
  }

  /** A handler for requests about one process ({@code {id}}), answered asynchronously. */
  static Handler<Message<JsonObject>> byId(BiFunction<String, Caller, Future<JsonObject>> command) {
    return message -> {
      try {
        command.apply(requiredId(message.body()), Caller.of(message))
            .onSuccess(message::reply)
            .onFailure(failure -> EngineError.failReply(message, failure));
      } catch (RuntimeException e) {
        EngineError.failReply(message, e);
      }
    };
  }

  /** A handler for queries answered at once. */
  static Handler<Message<JsonObject>> answer(BiFunction<JsonObject, Caller, JsonObject> query) {
    return message -> {
      try {
        message.reply(query.apply(message.body() == null ? new JsonObject() : message.body(), Caller.of(message)));
      } catch (RuntimeException e) {
        EngineError.failReply(message, e);
      }
    };
  }

  static String requiredId(JsonObject body) {
    String id = body == null ? null : optional(body, Fields.ID, String.class);
    if (id == null || id.isEmpty()) {
      throw new EngineError(ErrorCode.INVALID_REQUEST, "'id' is required");
    }
    return id;
  }

  static long requiredLong(JsonObject body, String field) {
    Long value = optional(body, field, Long.class);
    if (value == null || value < 0) {
      throw new EngineError(ErrorCode.INVALID_REQUEST, "'" + field + "' must be a non-negative integer");
    }
    return value;
  }

  /** The field's value, or null when absent; of the wrong type, an {@code invalid_request}. */
  static <T> T optional(JsonObject body, String field, Class<T> type) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (type == Long.class && value instanceof Integer number) {
      return type.cast(number.longValue());
    }
    if (!type.isInstance(value)) {
      throw new EngineError(ErrorCode.INVALID_REQUEST,
          "'" + field + "' must be a " + type.getSimpleName().toLowerCase(Locale.ROOT));
    }
    return type.cast(value);
  }

  static String header(Message<?> message, String name, String fallback) {
    String value = message.headers().get(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
