package io.isometry.contract;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A failure with a contract error code. It travels on the event bus as
 * {@code fail(status, json)} and over HTTP as the status with the JSON body, so every client sees
 * the same {@code {"error": code, "message": ..., ...}} shape.
 */
public final class EngineError extends RuntimeException {

  private final ErrorCode code;
  private final JsonObject extra;

  public EngineError(ErrorCode code, String message) {
    this(code, message, new JsonObject());
  }

  /** {@code extra} holds further fields of the error object, such as {@code violations}. */
  public EngineError(ErrorCode code, String message, JsonObject extra) {
    super(message, null, false, false);
    this.code = code;
    this.extra = extra;
  }

  /** An {@code invalid_request}: the message says what is wrong with it. */
  public static EngineError invalid(String message) {
    return new EngineError(ErrorCode.INVALID_REQUEST, message);
  }

  public ErrorCode code() {
    return code;
  }

  public JsonObject toJson() {
    return new JsonObject().put("error", code.wire()).put("message", getMessage()).mergeIn(extra);
  }

  /** Answers a request with this error. */
  public void failReply(Message<?> message) {
    message.fail(code.status(), toJson().encode());
  }

  /** Answers a request with whatever went wrong, as an {@link EngineError} when it is one. */
  public static void failReply(Message<?> message, Throwable failure) {
    from(failure).failReply(message);
  }

  /** The error a failure stands for: itself, the error a reply carried, or an internal error. */
  public static EngineError from(Throwable failure) {
    if (failure instanceof EngineError error) {
      return error;
    }
    if (failure instanceof ReplyException reply) {
      return fromReply(reply);
    }
    return new EngineError(ErrorCode.INTERNAL_ERROR, "internal error");
  }

  private static EngineError fromReply(ReplyException reply) {
    if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return new EngineError(ErrorCode.UNAVAILABLE, "the engine is not available");
    }
    if (reply.failureType() == ReplyFailure.TIMEOUT) {
      return new EngineError(ErrorCode.UNAVAILABLE, "the engine did not answer in time");
    }
    try {
      JsonObject body = new JsonObject(String.valueOf(reply.getMessage()));
      ErrorCode code = ErrorCode.fromWire(body.getString("error"));
      String text = body.getString("message", code.wire());
      JsonObject extra = body.copy();
      extra.remove("error");
      extra.remove("message");
      return new EngineError(code, text, extra);
    } catch (DecodeException | ClassCastException notOurs) {
      return new EngineError(ErrorCode.INTERNAL_ERROR, "internal error");
    }
  }
}
