package io.isometry.http;

import io.isometry.auth.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SockJS event-bus bridge at {@code /eventbus}, for browsers' event-bus clients. Frames follow
 * {@link BridgeAccess}; a socket speaks for the principal of its first valid token and cannot change
 * it, and what it receives on the shared event addresses is filtered by that principal
 * ({@link Audience}). A socket that has not sent a valid token within
 * {@link BridgeAccess#AUTH_GRACE_MS} is closed, as is one that sends an invalid token. Only the
 * WebSocket transports are on: the polling ones answer cross-origin requests by themselves, and every
 * browser has WebSockets. So every SockJS message arrives in a WebSocket message, which the HTTP server
 * bounds ({@code http.maxBodyBytes} per frame and per message, judged on the frame's announced length
 * before it is read); SockJS's own {@code maxBytesStreaming} bounds only what the streaming transports
 * send, not what a client sends, and is of no use here.
 */
final class SockJsBridge {

  static final String PATH = "/eventbus";

  private final Vertx vertx;
  private final BridgeAccess access;
  private final Audience audience;
  private final Map<SockJSSocket, Principal> principals = new HashMap<>();
  private final Map<SockJSSocket, Long> deadlines = new HashMap<>();

  SockJsBridge(Vertx vertx, BridgeAccess access, Audience audience) {
    this.vertx = vertx;
    this.access = access;
    this.audience = audience;
  }

  /** The bridge's router, to mount under {@code /eventbus/*}. */
  Router router() {
    SockJSHandlerOptions options = new SockJSHandlerOptions()
        .addDisabledTransport(Transport.XHR.name())
        .addDisabledTransport(Transport.EVENT_SOURCE.name())
        .addDisabledTransport(Transport.HTML_FILE.name())
        .addDisabledTransport(Transport.JSON_P.name())
        .setInsertJSESSIONID(false);
    return SockJSHandler.create(vertx, options).bridge(BridgeAccess.permitted(new SockJSBridgeOptions()), this::handle);
  }

  private void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    BridgeEventType type = event.type();
    switch (type) {
      case SOCKET_CREATED -> {
        deadlines.put(socket, vertx.setTimer(BridgeAccess.AUTH_GRACE_MS, timer -> {
          deadlines.remove(socket);
          if (!principals.containsKey(socket)) {
            socket.close();
          }
        }));
        event.complete(true);
      }
      case SOCKET_CLOSED -> {
        principals.remove(socket);
        Long deadline = deadlines.remove(socket);
        if (deadline != null) {
          vertx.cancelTimer(deadline);
        }
        event.complete(true);
      }
      case SOCKET_ERROR -> {
        // A message the server refused (over the bound, malformed): the bridge has already dropped the
        // socket's registrations but leaves it open; it goes, as it would on the WebSocket feed.
        vertx.runOnContext(later -> socket.close());
        event.complete(true);
      }
      case SEND -> event.complete(speaker(event).map(who -> access.admitSend(event.getRawMessage(), who)).orElse(false));
      case REGISTER -> event.complete(speaker(event)
          .map(who -> BridgeAccess.mayRegister(BridgeAccess.address(event.getRawMessage()), who, true)).orElse(false));
      case RECEIVE -> event.complete(keepsUp(socket) && mayReceive(socket, event.getRawMessage()));
      case PUBLISH -> event.complete(false);
      default -> event.complete(true);
    }
  }

  /**
   * The principal a frame speaks for: its token's, which must be the socket's if it has one. A frame
   * without a valid token closes the socket.
   */
  private Optional<Principal> speaker(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    Optional<Principal> principal = access.authenticate(event.getRawMessage());
    Principal bound = principals.get(socket);
    if (principal.isEmpty() || (bound != null && !bound.equals(principal.get()))) {
      // After the refusal has been written: the bridge writes it once this handler has answered.
      vertx.runOnContext(later -> socket.close());
      return Optional.empty();
    }
    principals.putIfAbsent(socket, principal.get());
    return principal;
  }

  /**
   * A client that does not read what it is sent is closed rather than buffered for, as on the
   * WebSocket feed: the bridge itself keeps writing to a socket whatever its queue holds.
   */
  private boolean keepsUp(SockJSSocket socket) {
    if (socket.writeQueueFull()) {
      vertx.runOnContext(later -> socket.close());
      return false;
    }
    return true;
  }

  /** Events of shared addresses only to those who may see them; replies and own channels pass. */
  private boolean mayReceive(SockJSSocket socket, JsonObject envelope) {
    Principal principal = principals.get(socket);
    if (principal == null) {
      return false;
    }
    String address = BridgeAccess.address(envelope);
    if (EngineEvents.ADDRESSES.contains(address) && envelope.getValue("body") instanceof JsonObject event) {
      return audience.scopeOf(event).admits(principal);
    }
    return true;
  }
}
