package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.auth.TokenRegistry;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a WebSocket client may say: first {@code auth} (unless its handshake carried a token), then
 * {@code run}, {@code cancel}, {@code suspend}, {@code resume}, {@code background}, {@code stdin},
 * {@code resize} and {@code subscribe}. Each is answered on the socket with an {@code ack} or an {@code error} frame
 * carrying the message's {@code requestId}, if it had one. A bad message is answered with an error
 * and the socket stays open; anything but a good {@code auth} from a socket that has not
 * authenticated closes it.
 */
final class ClientCommands {

  static final String REQUEST_ID = "requestId";
  static final String ACK = "ack";
  static final String ERROR = "error";
  static final String AUTH = "auth";
  static final String TOKEN = "token";
  static final String RUN = "run";
  static final String SUBSCRIBE = "subscribe";
  /** Asks for events in batches ({@code {"type":"batch","events":[...]}}), for clients that take many. */
  static final String BATCH = "batch";

  private final EngineRequests engine;
  private final TokenRegistry tokens;
  private final SubmitLimiter limiter;

  ClientCommands(EngineRequests engine, TokenRegistry tokens, SubmitLimiter limiter) {
    this.engine = engine;
    this.tokens = tokens;
    this.limiter = limiter;
  }

  void handle(FeedClient client, String text) {
    JsonObject message;
    try {
      message = parse(text);
    } catch (EngineError error) {
      if (!client.authenticated()) {
        client.refuse(unauthenticatedFrame(null));
        return;
      }
      answer(client, Future.failedFuture(error), null);
      return;
    }
    Object requestId = message.getValue(REQUEST_ID);
    if (!client.authenticated()) {
      login(client, message, requestId);
      return;
    }
    answer(client, dispatchSafely(client, message), requestId);
  }

  /** The protocol is JSON text; a binary message is a bad message like any other. */
  void refuseBinary(FeedClient client) {
    if (!client.authenticated()) {
      client.refuse(unauthenticatedFrame(null));
      return;
    }
    answer(client, Future.failedFuture(EngineError.invalid("messages must be JSON text frames")), null);
  }

  /** The frame that tells a socket it must authenticate first; it is closed after it. */
  static String unauthenticatedFrame(Object requestId) {
    return errorFrame(new EngineError(ErrorCode.UNAUTHORIZED,
        "authenticate first: send {\"type\": \"auth\", \"token\": ...} or connect with 'Authorization: Bearer'")
        .toJson(), requestId);
  }

  private void login(FeedClient client, JsonObject message, Object requestId) {
    Optional<Principal> principal = AUTH.equals(message.getValue(Fields.TYPE))
        && message.getValue(TOKEN) instanceof String token ? tokens.authenticate(token) : Optional.empty();
    if (principal.isEmpty()) {
      client.refuse(unauthenticatedFrame(requestId));
      return;
    }
    Object session = message.getValue(Fields.SESSION);
    if (session == null) {
      client.authenticate(principal.get());
      client.send(ackFrame(whoFrame(principal.get()), requestId));
      return;
    }
    if (!(session instanceof String name) || !FeedClient.SESSION.matcher(name).matches()) {
      client.refuse(errorFrame(EngineError.invalid("'session' must be 1 to 128 characters of A-Z, a-z, 0-9, _ and -")
          .toJson(), requestId));
      return;
    }
    client.authenticate(principal.get(), name);
    // The socket takes its session's processes back: it follows their output from now on.
    engine.clientAttached(client.id()).onComplete(attached -> {
      List<String> ids = attached.succeeded()
          ? attached.result().getJsonArray(Fields.PROCESSES, new JsonArray()).stream().map(String.class::cast).toList()
          : List.of();
      client.subscribe(ids);
      client.send(ackFrame(whoFrame(principal.get()).put(Fields.SESSION, name)
          .put(Fields.PROCESSES, new JsonArray(ids)), requestId));
    });
  }

  /** What an {@code auth} is acknowledged with: who the socket now speaks for. */
  static JsonObject whoFrame(Principal principal) {
    return new JsonObject().put("principal", principal.name()).put("role", principal.role().wire());
  }

  private void answer(FeedClient client, Future<JsonObject> outcome, Object requestId) {
    outcome.onComplete(done -> {
      client.send(done.succeeded() ? ackFrame(done.result(), requestId) : errorFrame(errorJson(done.cause()), requestId));
      client.answerSent();
    });
  }

  private Future<JsonObject> dispatchSafely(FeedClient client, JsonObject message) {
    try {
      return dispatch(client, message);
    } catch (EngineError | RateLimited refused) {
      return Future.failedFuture(refused);
    }
  }

  /** The ack's content (without type and requestId) once the engine has agreed. */
  private Future<JsonObject> dispatch(FeedClient client, JsonObject message) {
    Object type = message.getValue(Fields.TYPE);
    Principal principal = client.principal();
    if (RUN.equals(type)) {
      requireControl(principal);
      limiter.acquire(principal);
      JsonObject submit = message.copy();
      submit.remove(Fields.TYPE);
      submit.remove(REQUEST_ID);
      long run = client.runAsked();
      return engine.submit(principal, submit, client.id())
          .onFailure(refused -> client.runAnswered(run, null))
          .map(record -> {
            client.runAnswered(run, record.getString(Fields.ID));
            return new JsonObject().put(Fields.RECORD, record);
          });
    }
    if (SUBSCRIBE.equals(type)) {
      List<String> ids = processIds(message);
      client.subscribe(ids);
      return Future.succeededFuture(new JsonObject().put(Fields.OUTPUT, new JsonArray(ids)));
    }
    if (BATCH.equals(type)) {
      client.batchEvents();
      return Future.succeededFuture(new JsonObject().put("batchWindowMs", WebSocketFeed.BATCH_WINDOW_MS));
    }
    if (AUTH.equals(type)) {
      throw EngineError.invalid("this socket has already authenticated");
    }
    String control = type instanceof String name ? EngineRequests.CONTROL_ACTIONS.get(name) : null;
    String interaction = type instanceof String name ? EngineRequests.INTERACTIONS.get(name) : null;
    if (control == null && interaction == null) {
      throw EngineError.invalid("unknown message type " + Json.encode(type)
          + "; expected run, cancel, suspend, resume, background, stdin, resize, subscribe or batch");
    }
    if (!(message.getValue(Fields.ID) instanceof String id) || id.isEmpty()) {
      throw EngineError.invalid("'" + type + "' needs the process 'id'");
    }
    requireControl(principal);
    if (interaction != null) {
      JsonObject body = message.copy();
      body.remove(Fields.TYPE);
      body.remove(REQUEST_ID);
      return engine.interact(principal, interaction, id, body).map(record -> new JsonObject().put(Fields.RECORD, record));
    }
    return engine.control(principal, control, id).map(record -> new JsonObject().put(Fields.RECORD, record));
  }

  private static void requireControl(Principal principal) {
    if (!principal.mayControl()) {
      throw BearerAuthentication.forbidden(principal);
    }
  }

  private static JsonObject parse(String text) {
    return ClientJson.object(text, "the message");
  }

  /** {@code output}: process ids, or {@code "*"} for every process the client may see. */
  private static List<String> processIds(JsonObject message) {
    if (!(message.getValue(Fields.OUTPUT) instanceof JsonArray array)) {
      throw EngineError.invalid("'subscribe' needs 'output', an array of process ids (or \"*\" for all)");
    }
    List<String> ids = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String id) || id.isEmpty()) {
        throw EngineError.invalid("'output' must be an array of process ids");
      }
      ids.add(id);
    }
    return ids;
  }

  private static JsonObject errorJson(Throwable failure) {
    return failure instanceof RateLimited limited ? limited.toJson() : EngineError.from(failure).toJson();
  }

  private static String ackFrame(JsonObject content, Object requestId) {
    return withRequestId(new JsonObject().put(Fields.TYPE, ACK), requestId).mergeIn(content).encode();
  }

  private static String errorFrame(JsonObject error, Object requestId) {
    return withRequestId(new JsonObject().put(Fields.TYPE, ERROR), requestId).mergeIn(error).encode();
  }

  /** Echoes the client's {@code requestId} (any JSON value) when it sent one. */
  private static JsonObject withRequestId(JsonObject frame, Object requestId) {
    return requestId == null ? frame : frame.put(REQUEST_ID, requestId);
  }
}
