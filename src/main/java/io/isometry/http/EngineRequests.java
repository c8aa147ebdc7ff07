package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.client.IsometryClient;
import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The event-bus requests the HTTP bridge makes on behalf of its clients: the engine's one client,
 * {@link IsometryClient}, made for the authenticated principal and its role (never anything the
 * client claimed), so that the supervisor can enforce ownership. The clients' bodies are relayed as
 * they came, for the engine to judge; failures come back as {@code EngineError}s.
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

  /** What a client may send a running process besides the control actions: by name, and the address. */
  static final Map<String, String> INTERACTIONS = Map.of(
      "stdin", Addresses.STDIN,
      "resize", Addresses.RESIZE);

  private final EventBus eventBus;

  EngineRequests(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /** Submits a process owned by no connection: it runs on whether or not its client stays. */
  Future<JsonObject> submit(Principal principal, JsonObject body) {
    return client(principal).request(Addresses.SUBMIT, body);
  }

  /** Submits a process that belongs to the connection {@code clientId} (cancelled when it goes, unless background). */
  Future<JsonObject> submit(Principal principal, JsonObject body, String clientId) {
    return client(principal).forConnection(clientId).request(Addresses.SUBMIT, body);
  }

  /** Sends {@code {id}} to one of the {@link #CONTROL_ACTIONS}' addresses. */
  Future<JsonObject> control(Principal principal, String address, String id) {
    return client(principal).request(address, new JsonObject().put(Fields.ID, id));
  }

  /**
   * Sends a stdin request ({@code data}, {@code eof}) or a resize ({@code cols}, {@code rows}) for
   * process {@code id}: the body as the client wrote it, for the supervisor to judge, with the id put in.
   */
  Future<JsonObject> interact(Principal principal, String address, String id, JsonObject body) {
    return client(principal).request(address, body.copy().put(Fields.ID, id));
  }

  Future<JsonObject> get(Principal principal, String id) {
    return client(principal).request(Addresses.GET, new JsonObject().put(Fields.ID, id));
  }

  /** {@code query} holds the optional {@code state} and {@code limit}. */
  Future<JsonObject> list(Principal principal, JsonObject query) {
    return client(principal).request(Addresses.LIST, query);
  }

  Future<JsonObject> output(Principal principal, String id, String stream) {
    return client(principal).request(Addresses.OUTPUT, new JsonObject().put(Fields.ID, id).put(Fields.STREAM, stream));
  }

  /** Past commands from the journal: {@code query} holds the optional {@code q} and {@code limit}. */
  Future<JsonObject> history(Principal principal, JsonObject query) {
    return client(principal).request(Addresses.HISTORY, query);
  }

  Future<JsonObject> rejections(Principal principal, JsonObject query) {
    return client(principal).request(Addresses.REJECTIONS, query);
  }

  Future<JsonObject> stats(Principal principal) {
    return client(principal).request(Addresses.STATS, new JsonObject());
  }

  Future<JsonObject> capabilities(Principal principal) {
    return client(principal).request(Addresses.CAPABILITIES, new JsonObject());
  }

  /** The cluster's nodes, their load and what each enforces (a node alone: itself). */
  Future<JsonObject> cluster(Principal principal) {
    return client(principal).request(Addresses.CLUSTER, new JsonObject());
  }

  Future<JsonObject> validate(Principal principal, JsonObject body) {
    return client(principal).request(Addresses.VALIDATE, body);
  }

  /** Tells the supervisor a socket of a client that can come back is there; answers its live foreground processes. */
  Future<JsonObject> clientAttached(String clientId) {
    return eventBus.<JsonObject>request(Addresses.CLIENT_ATTACH, new JsonObject().put(Fields.CLIENT_ID, clientId))
        .map(reply -> reply.body());
  }

  /** Tells the supervisor a connection is gone, so that its foreground processes end. */
  void clientGone(String clientId) {
    // Published: in a cluster, the connection's foreground processes may run on any node.
    eventBus.publish(Addresses.CLIENT_GONE, new JsonObject().put(Fields.CLIENT_ID, clientId));
  }

  private IsometryClient client(Principal principal) {
    return IsometryClient.as(eventBus, caller(principal));
  }

  /** Who a principal is on the event bus. */
  static Caller caller(Principal principal) {
    return new Caller(principal.name(), principal.role());
  }
}
