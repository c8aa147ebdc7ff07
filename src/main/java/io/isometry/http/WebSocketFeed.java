package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.auth.TokenRegistry;
import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket feed of {@code /api/v1/ws}. Every engine event is fanned out to the sockets whose
 * principal may see it ({@link Audience}): process, usage and stats events as they come, output only
 * to sockets that ran the process or subscribed to it. A socket authenticates with its handshake's
 * {@code Authorization: Bearer} header or, since browsers cannot set that header, with a first
 * {@code auth} message; until then it receives nothing, and it is closed if it has not within
 * {@link #AUTH_GRACE_MS}. Events and sockets are all handled on the HTTP verticle's context, so the
 * registry of clients needs no locking and each socket sees every process's events in order.
 */
final class WebSocketFeed implements EngineEvents.Listener {

  /** How long a socket may stay open without authenticating. */
  static final long AUTH_GRACE_MS = 10_000;
  /**
   * How long events wait for the sockets that asked for batches: one write per socket per window
   * instead of one per event, which is what a thousand sockets on one event loop need.
   */
  static final long BATCH_WINDOW_MS = 10;
  private static final long NO_TIMER = -1;

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFeed.class);

  private final Vertx vertx;
  private final EngineRequests engine;
  private final ClientCommands commands;
  private final TokenRegistry tokens;
  private final OriginPolicy origins;
  private final Map<String, FeedClient> clients = new LinkedHashMap<>();
  private long flushTimer = NO_TIMER;

  WebSocketFeed(Vertx vertx, EngineRequests engine, ClientCommands commands, TokenRegistry tokens,
                OriginPolicy origins) {
    this.vertx = vertx;
    this.engine = engine;
    this.commands = commands;
    this.tokens = tokens;
    this.origins = origins;
  }

  /** The route handler: checks origin and token, then upgrades the request and takes the socket in. */
  void accept(RoutingContext rc) {
    // Checked here because a failed upgrade answers with an empty page, not the contract's error.
    if (!rc.request().headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
      rc.fail(new EngineError(ErrorCode.INVALID_REQUEST, "this address speaks WebSocket only"));
      return;
    }
    if (!origins.allows(rc.request())) {
      rc.fail(new EngineError(ErrorCode.FORBIDDEN, "pages of this origin may not open the feed"));
      return;
    }
    Optional<Principal> principal = Optional.empty();
    if (rc.request().getHeader(HttpHeaders.AUTHORIZATION) != null) {
      principal = BearerAuthentication.authenticate(tokens, rc.request());
      if (principal.isEmpty()) {
        rc.fail(new EngineError(ErrorCode.UNAUTHORIZED, "the token is not valid"));
        return;
      }
    }
    Principal known = principal.orElse(null);
    rc.request().toWebSocket()
        .onSuccess(socket -> join(socket, known))
        .onFailure(failure -> LOG.debug("WebSocket upgrade failed", failure));
  }

  private void join(ServerWebSocket socket, Principal principal) {
    FeedClient client = new FeedClient(socket);
    clients.put(client.id(), client);
    socket.textMessageHandler(text -> commands.handle(client, text));
    socket.binaryMessageHandler(binary -> commands.refuseBinary(client));
    socket.exceptionHandler(failure -> LOG.debug("WebSocket {} failed", client.id(), failure));
    if (principal != null) {
      client.authenticate(principal);
      socket.closeHandler(closed -> leave(client));
    } else {
      long deadline = vertx.setTimer(AUTH_GRACE_MS, timer -> {
        if (!client.authenticated()) {
          client.refuse(ClientCommands.unauthenticatedFrame(null));
        }
      });
      socket.closeHandler(closed -> {
        vertx.cancelTimer(deadline);
        leave(client);
      });
    }
    LOG.debug("WebSocket {} connected from {}", client.id(), socket.remoteAddress());
  }

  private void leave(FeedClient client) {
    clients.remove(client.id());
    engine.clientGone(client.id());
    LOG.debug("WebSocket {} closed", client.id());
  }

  @Override
  public void onEvent(String address, JsonObject event, Audience.Scope scope) {
    if (Addresses.EVENT_REJECTED.equals(address)) {
      // The audit trail is for the bridges' subscribers; the feed answers a refused run directly.
      return;
    }
    String processId = Addresses.EVENT_OUTPUT.equals(address) ? event.getString(Fields.ID) : null;
    String frame = null;
    // A copy: sending may close a slow client, and its close handler leaves the registry.
    for (FeedClient client : List.copyOf(clients.values())) {
      if (client.authenticated() && scope.admits(client.principal())
          && (processId == null || client.wantsOutputOf(processId))) {
        frame = frame == null ? event.encode() : frame;
        if (client.deliver(frame) && flushTimer == NO_TIMER) {
          flushTimer = vertx.setTimer(BATCH_WINDOW_MS, t -> flushBatches());
        }
      }
    }
  }

  private void flushBatches() {
    flushTimer = NO_TIMER;
    for (FeedClient client : List.copyOf(clients.values())) {
      client.flush();
    }
  }
}
