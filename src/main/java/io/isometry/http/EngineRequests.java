package io.isometry.http;

import io.isometry.auth.Principal;
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
 * The event-bus requests the HTTP bridge makes on behalf of its clients. Each carries the headers
 * that say who asks — the authenticated principal and its role, never anything the client claimed —
 * so that the supervisor can enforce ownership. Replies are the supervisor's JSON bodies; failures are
 * left as they come back ({@code ReplyException}), for {@link EngineError#from(Throwable)} to read.
 */
final class EngineRequests {

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
  Future<JsonObject> submit(Principal principal, JsonObject body) {
    return request(Addresses.SUBMIT, body, as(principal));
  }

  /** Submits a process that belongs to the connection {@code clientId} (cancelled when it goes, unless background). */
  Future<JsonObject> submit(Principal principal, JsonObject body, String clientId) {
    return request(Addresses.SUBMIT, body, as(principal).addHeader(Addresses.HEADER_CLIENT, clientId));
  }

  /** Sends {@code {id}} to one of the {@link #CONTROL_ACTIONS}' addresses. */
  Future<JsonObject> control(Principal principal, String address, String id) {
    return request(address, new JsonObject().put(Fields.ID, id), as(principal));
  }

  Future<JsonObject> get(Principal principal, String id) {
    return request(Addresses.GET, new JsonObject().put(Fields.ID, id), as(principal));
  }

  /** {@code query} holds the optional {@code state} and {@code limit}. */
  Future<JsonObject> list(Principal principal, JsonObject query) {
    return request(Addresses.LIST, query, as(principal));
  }

  Future<JsonObject> output(Principal principal, String id, String stream) {
    return request(Addresses.OUTPUT, new JsonObject().put(Fields.ID, id).put(Fields.STREAM, stream), as(principal));
  }

  /** Past commands from the journal: {@code query} holds the optional {@code q} and {@code limit}. */
  Future<JsonObject> history(Principal principal, JsonObject query) {
    return request(Addresses.HISTORY, query, as(principal));
  }

  Future<JsonObject> rejections(Principal principal, JsonObject query) {
    return request(Addresses.REJECTIONS, query, as(principal));
  }

  Future<JsonObject> stats(Principal principal) {
    return request(Addresses.STATS, new JsonObject(), as(principal));
  }

  Future<JsonObject> capabilities(Principal principal) {
    return request(Addresses.CAPABILITIES, new JsonObject(), as(principal));
  }

  Future<JsonObject> validate(Principal principal, JsonObject body) {
    return request(Addresses.VALIDATE, body, as(principal));
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

  /** The headers of a request made for {@code principal}. */
  static DeliveryOptions as(Principal principal) {
    return new DeliveryOptions()
        .addHeader(Addresses.HEADER_OWNER, principal.name())
        .addHeader(Addresses.HEADER_ROLE, principal.role().wire());
  }
}
