package io.isometry.http;

import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The event-bus requests the HTTP bridge makes on behalf of its clients, with the headers that say
 * who asks. Replies are the supervisor's JSON bodies; failures are left as they come back
 * ({@code ReplyException}), for {@link io.isometry.contract.EngineError#from(Throwable)} to read.
 */
final class EngineRequests {

  /** The principal of every request until authentication exists. */
  static final String ANONYMOUS = "anonymous";

  /**
   * The control actions, by the name clients use for them (the REST path segment, the WebSocket
   * message type), and the address each goes to.
   */
  static final Map<String, String> CONTROL_ACTIONS = Map.of(
      "cancel", Addresses.CANCEL,
      "suspend", Addresses.SUSPEND,
      "resume", Addresses.RESUME,
      "background", Addresses.BACKGROUND);

  private final EventBus eventBus;

  EngineRequests(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /** Submits a process owned by no connection: it runs on whether or not its client stays. */
  Future<JsonObject> submit(JsonObject body) {
    return request(Addresses.SUBMIT, body, asOwner());
  }

  /** Submits a process that belongs to the connection {@code clientId} (cancelled when it goes, unless background). */
  Future<JsonObject> submit(JsonObject body, String clientId) {
    return request(Addresses.SUBMIT, body, asOwner().addHeader(Addresses.HEADER_CLIENT, clientId));
  }

  /** Sends {@code {id}} to one of the {@link #CONTROL_ACTIONS}' addresses. */
  Future<JsonObject> control(String address, String id) {
    return request(address, new JsonObject().put(Fields.ID, id), asOwner());
  }

  Future<JsonObject> get(String id) {
    return request(Addresses.GET, new JsonObject().put(Fields.ID, id), asOwner());
  }

  /** {@code query} holds the optional {@code state} and {@code limit}. */
  Future<JsonObject> list(JsonObject query) {
    return request(Addresses.LIST, query, asOwner());
  }

  Future<JsonObject> output(String id, String stream) {
    return request(Addresses.OUTPUT, new JsonObject().put(Fields.ID, id).put(Fields.STREAM, stream), asOwner());
  }

  Future<JsonObject> stats() {
    return request(Addresses.STATS, new JsonObject(), asOwner());
  }

  Future<JsonObject> validate(JsonObject body) {
    return request(Addresses.VALIDATE, body, asOwner());
  }

  /** Tells the supervisor a connection is gone, so that its foreground processes end. */
  void clientGone(String clientId) {
    eventBus.send(Addresses.CLIENT_GONE, new JsonObject().put(Fields.CLIENT_ID, clientId));
  }

  private Future<JsonObject> request(String address, JsonObject body, DeliveryOptions options) {
    return eventBus.request(address, body, options).map(EngineRequests::jsonBody);
  }

  private static JsonObject jsonBody(Message<Object> reply) {
    if (reply.body() instanceof JsonObject json) {
      return json;
    }
    throw new EngineError(ErrorCode.INTERNAL_ERROR, "the engine answered with something other than a JSON object");
  }

  private static DeliveryOptions asOwner() {
    return new DeliveryOptions().addHeader(Addresses.HEADER_OWNER, ANONYMOUS);
  }
}
