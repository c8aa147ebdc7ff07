package io.isometry.http;

import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket feed of {@code /api/v1/ws}. It consumes the engine's event addresses once and fans
 * every event out to the connected sockets: process and stats events to all of them, output only to
 * those that subscribed to the process or ran it. Event-bus consumers and sockets both run on the
 * context that {@link #start()} is called on, so the registry of clients needs no locking and each
 * socket sees every process's events in the order they were published.
 */
final class WebSocketFeed {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFeed.class);

  private final EventBus eventBus;
  private final EngineRequests engine;
  private final ClientCommands commands;
  private final Map<String, FeedClient> clients = new LinkedHashMap<>();

  WebSocketFeed(EventBus eventBus, EngineRequests engine) {
    this.eventBus = eventBus;
    this.engine = engine;
    this.commands = new ClientCommands(engine);
  }

  /** Starts listening to the event addresses; completes once the consumers are registered. */
  Future<Void> start() {
    return Future.all(
            eventBus.consumer(Addresses.EVENT_PROCESS, this::toEveryone).completion(),
            eventBus.consumer(Addresses.EVENT_STATS, this::toEveryone).completion(),
            eventBus.consumer(Addresses.EVENT_OUTPUT, this::toSubscribers).completion())
        .mapEmpty();
  }

  /** The route handler: upgrades the request and takes the socket in. */
  void accept(RoutingContext rc) {
    // Checked here because a failed upgrade answers with an empty page, not the contract's error.
    if (!rc.request().headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
      rc.fail(new EngineError(ErrorCode.INVALID_REQUEST, "this address speaks WebSocket only"));
      return;
    }
    rc.request().toWebSocket()
        .onSuccess(this::join)
        .onFailure(failure -> LOG.debug("WebSocket upgrade failed", failure));
  }

  private void join(ServerWebSocket socket) {
    FeedClient client = new FeedClient(socket);
    clients.put(client.id(), client);
    socket.textMessageHandler(text -> commands.handle(client, text));
    socket.binaryMessageHandler(binary -> commands.refuseBinary(client));
    socket.exceptionHandler(failure -> LOG.debug("WebSocket {} failed", client.id(), failure));
    socket.closeHandler(closed -> leave(client));
    LOG.debug("WebSocket {} connected from {}", client.id(), socket.remoteAddress());
  }

  private void leave(FeedClient client) {
    clients.remove(client.id());
    engine.clientGone(client.id());
    LOG.debug("WebSocket {} closed", client.id());
  }

  private void toEveryone(Message<Object> event) {
    JsonObject body = eventBody(event);
    if (body == null) {
      return;
    }
    String frame = body.encode();
    // A copy: sending may close a slow client, and its close handler leaves the registry.
    for (FeedClient client : List.copyOf(clients.values())) {
      client.send(frame);
    }
  }

  private void toSubscribers(Message<Object> event) {
    JsonObject body = eventBody(event);
    if (body == null) {
      return;
    }
    String processId = body.getString(Fields.ID);
    String frame = null;
    for (FeedClient client : List.copyOf(clients.values())) {
      if (client.wantsOutputOf(processId)) {
        frame = frame == null ? body.encode() : frame;
        client.send(frame);
      }
    }
  }

  private static JsonObject eventBody(Message<Object> event) {
    if (event.body() instanceof JsonObject body) {
      return body;
    }
    LOG.warn("Dropping an event on {} that is not a JSON object", event.address());
    return null;
  }
}
