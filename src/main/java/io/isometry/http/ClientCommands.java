package io.isometry.http;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a WebSocket client may say: {@code run}, {@code cancel}, {@code suspend}, {@code resume},
 * {@code background} and {@code subscribe}. Each is answered on the socket with an {@code ack}
 * or an {@code error} frame carrying the message's {@code requestId}, if it had one. A bad message
 * is answered with an error; the socket stays open.
 */
final class ClientCommands {

  static final String REQUEST_ID = "requestId";
  static final String ACK = "ack";
  static final String ERROR = "error";
  static final String RUN = "run";
  static final String SUBSCRIBE = "subscribe";

  private final EngineRequests engine;

  ClientCommands(EngineRequests engine) {
    this.engine = engine;
  }

  void handle(FeedClient client, String text) {
    JsonObject message;
    try {
      message = parse(text);
    } catch (EngineError error) {
      client.send(errorFrame(error, null));
      return;
    }
    Object requestId = message.getValue(REQUEST_ID);
    answer(client, message).onComplete(outcome -> client.send(outcome.succeeded()
        ? ackFrame(outcome.result(), requestId)
        : errorFrame(EngineError.from(outcome.cause()), requestId)));
  }

  /** The protocol is JSON text; a binary message is a bad message like any other. */
  void refuseBinary(FeedClient client) {
    client.send(errorFrame(invalid("messages must be JSON text frames"), null));
  }

  private Future<JsonObject> answer(FeedClient client, JsonObject message) {
    try {
      return dispatch(client, message);
    } catch (EngineError refused) {
      return Future.failedFuture(refused);
    }
  }

  /** The ack's content (without type and requestId) once the engine has agreed. */
  private Future<JsonObject> dispatch(FeedClient client, JsonObject message) {
    Object type = message.getValue(Fields.TYPE);
    if (RUN.equals(type)) {
      JsonObject submit = message.copy();
      submit.remove(Fields.TYPE);
      submit.remove(REQUEST_ID);
      return engine.submit(submit, client.id()).map(record -> {
        client.subscribe(List.of(record.getString(Fields.ID)));
        return new JsonObject().put(Fields.RECORD, record);
      });
    }
    if (SUBSCRIBE.equals(type)) {
      List<String> ids = processIds(message);
      client.subscribe(ids);
      return Future.succeededFuture(new JsonObject().put(Fields.OUTPUT, new JsonArray(ids)));
    }
    String address = type instanceof String name ? EngineRequests.CONTROL_ACTIONS.get(name) : null;
    if (address == null) {
      throw invalid("unknown message type " + Json.encode(type)
          + "; expected run, cancel, suspend, resume, background or subscribe");
    }
    if (!(message.getValue(Fields.ID) instanceof String id) || id.isEmpty()) {
      throw invalid("'" + type + "' needs the process 'id'");
    }
    return engine.control(address, id).map(record -> new JsonObject().put(Fields.RECORD, record));
  }

  private static JsonObject parse(String text) {
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw invalid("the message is not valid JSON");
    }
    if (!(value instanceof JsonObject message)) {
      throw invalid("the message must be a JSON object");
    }
    return message;
  }

  private static List<String> processIds(JsonObject message) {
    if (!(message.getValue(Fields.OUTPUT) instanceof JsonArray array)) {
      throw invalid("'subscribe' needs 'output', an array of process ids");
    }
    List<String> ids = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String id) || id.isEmpty()) {
        throw invalid("'output' must be an array of process ids");
      }
      ids.add(id);
    }
    return ids;
  }

  private static String ackFrame(JsonObject content, Object requestId) {
    return withRequestId(new JsonObject().put(Fields.TYPE, ACK), requestId).mergeIn(content).encode();
  }

  private static String errorFrame(EngineError error, Object requestId) {
    return withRequestId(new JsonObject().put(Fields.TYPE, ERROR), requestId).mergeIn(error.toJson()).encode();
  }

  /** Echoes the client's {@code requestId} (any JSON value) when it sent one. */
  private static JsonObject withRequestId(JsonObject frame, Object requestId) {
    return requestId == null ? frame : frame.put(REQUEST_ID, requestId);
  }

  private static EngineError invalid(String message) {
    return new EngineError(ErrorCode.INVALID_REQUEST, message);
  }
}
