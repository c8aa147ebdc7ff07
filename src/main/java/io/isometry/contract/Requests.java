package io.isometry.contract;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The one way the engine reads and answers event-bus requests: the body read as a JSON object,
 * its fields checked for type (every problem an {@code invalid_request} naming the field), and
 * every outcome, expected or not, answered: the reply, or the contract's error
 * ({@link EngineError#failReply}) instead of a lost exception.
 */
public final class Requests {

  /** A request's work: from its body (and its message, for the caller and headers) to its answer. */
  @FunctionalInterface
  public interface Request {
    Future<JsonObject> apply(JsonObject body, Message<?> message);
  }

  /** The same, answered at once. */
  @FunctionalInterface
  public interface Query {
    JsonObject apply(JsonObject body, Message<?> message);
  }

  private Requests() {
  }

  /** A consumer's handler that answers every request with {@code request}'s result or its error. */
  public static <T> Handler<Message<T>> answering(Request request) {
    return message -> {
      Future<JsonObject> reply;
      try {
        reply = request.apply(body(message), message);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(message::reply).onFailure(failure -> EngineError.failReply(message, failure));
    };
  }

  /** {@link #answering(Request)} for work that answers at once. */
  public static <T> Handler<Message<T>> answeringNow(Query query) {
    return answering((body, message) -> Future.succeededFuture(query.apply(body, message)));
  }

  /** The body as an object; an empty one for none. */
  public static JsonObject body(Message<?> message) {
    Object body = message.body();
    if (body == null) {
      return new JsonObject();
    }
    if (!(body instanceof JsonObject object)) {
      throw EngineError.invalid("the body must be a JSON object");
    }
    return object;
  }

  /** {@code id}, required and not empty. */
  public static String id(JsonObject body) {
    if (!(body.getValue(Fields.ID) instanceof String id) || id.isEmpty()) {
      throw EngineError.invalid("'id' is required");
    }
    return id;
  }

  /** The field's value, or null when absent; of the wrong type, an {@code invalid_request}. */
  public static <T> T optional(JsonObject body, String field, Class<T> type) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (type == Long.class && value instanceof Integer number) {
      return type.cast(number.longValue());
    }
    if (!type.isInstance(value)) {
      throw EngineError.invalid("'" + field + "' must be a " + type.getSimpleName().toLowerCase(Locale.ROOT));
    }
    return type.cast(value);
  }

  public static long nonNegative(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw EngineError.invalid("'" + field + "' must be a non-negative integer");
    }
    return ((Number) value).longValue();
  }

  public static JsonObject object(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof JsonObject object)) {
      throw EngineError.invalid("'" + field + "' must be an object");
    }
    return object;
  }

  /** A text field that may be absent (then empty). */
  public static String text(JsonObject body, String field) {
    String value = optional(body, field, String.class);
    return value == null ? "" : value;
  }

  /** A header's value, or null when it is absent or empty. */
  public static String header(Message<?> message, String name) {
    String value = message.headers().get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
