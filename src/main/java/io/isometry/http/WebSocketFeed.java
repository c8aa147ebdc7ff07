package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.auth.TokenRegistry;
import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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
  /** WebSocket close code 1011: the server cannot serve this socket. */
  private static final short INTERNAL_ERROR = 1011;

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFeed.class);

  private final Vertx vertx;
  private final Context context;
  private final EngineRequests engine;
  private final ClientCommands commands;
  private final TokenRegistry tokens;
  private final OriginPolicy origins;
  private final FeedMetrics metrics;
  /** The largest frame payload the server sends; longer messages go in fragments. */
  private final int maxFrameBytes;
  private final Map<String, FeedClient> clients = new LinkedHashMap<>();
  /** Clients with events written since their last flush; identity sets, in the order they were written. */
  private final Set<FeedClient> awaitingFlush = new LinkedHashSet<>();
  private final Set<FeedClient> awaitingBatchFlush = new LinkedHashSet<>();
  private long batchTimer = NO_TIMER;

  WebSocketFeed(Vertx vertx, Context context, EngineRequests engine, ClientCommands commands, TokenRegistry tokens,
                OriginPolicy origins, int maxFrameBytes, FeedMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.engine = engine;
    this.commands = commands;
    this.tokens = tokens;
    this.origins = origins;
    this.maxFrameBytes = maxFrameBytes;
    this.metrics = metrics;
  }

  /**
   * Whether a request is the feed's handshake, which {@link #accept} takes before the router sees it:
   * a GET of the feed's path, spelt as the router would still match it ({@link RequestPaths}).
   */
  static boolean isHandshake(HttpServerRequest request) {
    return request.method() == HttpMethod.GET
        && RequestPaths.canonical(request.path()).filter(ApiRouter.WEB_SOCKET_PATH::equals).isPresent();
  }

  /**
   * Checks origin and token, then upgrades the request and takes the socket in. It is handed the
   * server's own request, not the router's wrapper of it, because the feed writes to the socket's
   * channel itself ({@link FeedClient}) and the wrapper's socket does not reach it.
   */
  void accept(HttpServerRequest request) {
    // Checked here because a failed upgrade answers with an empty page, not the contract's error.
    if (!request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
      refuse(request, new EngineError(ErrorCode.INVALID_REQUEST, "this address speaks WebSocket only"));
      return;
    }
    if (!origins.allows(request)) {
      refuse(request, new EngineError(ErrorCode.FORBIDDEN, "pages of this origin may not open the feed"));
      return;
    }
    Optional<Principal> principal = Optional.empty();
    if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
      principal = BearerAuthentication.authenticate(tokens, request);
      if (principal.isEmpty()) {
        refuse(request, new EngineError(ErrorCode.UNAUTHORIZED, "the token is not valid"));
        return;
      }
    }
    Principal known = principal.orElse(null);
    request.toWebSocket()
        .onSuccess(socket -> join(socket, known))
        .onFailure(failure -> LOG.debug("WebSocket upgrade failed", failure));
  }

  private static void refuse(HttpServerRequest request, EngineError error) {
    Responses.errorOutsideRouter(request.response(), error.code().status(), error);
  }

  private void join(ServerWebSocket socket, Principal principal) {
    Optional<FeedChannel> channel = FeedChannel.of(socket, maxFrameBytes, metrics);
    if (channel.isEmpty()) {
      LOG.error("WebSocket from {} closed: its channel cannot be written to by the feed", socket.remoteAddress());
      socket.close(INTERNAL_ERROR, "internal error");
      return;
    }
    FeedClient client = new FeedClient(channel.get());
    clients.put(client.connection(), client);
    metrics.joined();
    socket.textMessageHandler(text -> commands.handle(client, text));
    socket.binaryMessageHandler(binary -> commands.refuseBinary(client));
    socket.exceptionHandler(failure -> {
      LOG.debug("WebSocket {} failed", client.connection(), failure);
      // A frame the decoder refused (too large, malformed): the client is told why (1009, 1002) before
      // the connection goes, instead of finding it cut.
      if (failure instanceof CorruptedWebSocketFrameException refused) {
        client.close(refused.closeStatus().code(), refused.closeStatus().reasonText());
      }
    });
    socket.shutdownHandler(shutdown -> client.stopWriting());
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
    LOG.debug("WebSocket {} connected from {}", client.connection(), socket.remoteAddress());
  }

  private void leave(FeedClient client) {
    clients.remove(client.connection());
    awaitingFlush.remove(client);
    awaitingBatchFlush.remove(client);
    metrics.left();
    engine.clientGone(client.id());
    LOG.debug("WebSocket {} closed", client.connection());
  }

  /** Pings every socket, so that a quiet one is never taken for an idle connection. */
  void ping() {
    clients.values().forEach(FeedClient::ping);
  }

  @Override
  public void onEvent(String address, JsonObject event, Audience.Scope scope) {
    if (Addresses.EVENT_REJECTED.equals(address)) {
      // The audit trail is for the bridges' subscribers; the feed answers a refused run directly.
      return;
    }
    String processId = Addresses.EVENT_OUTPUT.equals(address) ? event.getString(Fields.ID) : null;
    SharedFrame frame = new SharedFrame(event, maxFrameBytes);
    int delivered = 0;
    try {
      // A copy: writing may close a slow client, and its close handler leaves the registry.
      for (FeedClient client : List.copyOf(clients.values())) {
        if (!client.authenticated() || !scope.admits(client.principal())) {
          continue;
        }
        if (processId != null && !client.wantsOutputOf(processId)) {
          client.offerUnfollowedOutput(processId, scope.owner(), frame);
        } else if (client.deliver(frame)) {
          delivered++;
          awaitFlush(client);
        }
      }
    } finally {
      frame.release();
      metrics.delivered(delivered);
    }
  }

  private void awaitFlush(FeedClient client) {
    if (client.batched()) {
      if (awaitingBatchFlush.add(client) && batchTimer == NO_TIMER) {
        batchTimer = vertx.setTimer(BATCH_WINDOW_MS, t -> {
          batchTimer = NO_TIMER;
          flushAll(awaitingBatchFlush, FeedClient::flushBatch);
        });
      }
    } else if (awaitingFlush.add(client) && awaitingFlush.size() == 1) {
      // After the events already waiting on the event loop have been written too: one system call
      // per socket for all of them. An event that comes alone is flushed at once, so waiting adds
      // nothing when the engine is idle and batches more the busier it is.
      context.runOnContext(v -> flushAll(awaitingFlush, FeedClient::flush));
    }
  }

  private static void flushAll(Set<FeedClient> waiting, Consumer<FeedClient> flush) {
    List<FeedClient> clients = List.copyOf(waiting);
    waiting.clear();
    clients.forEach(flush);
  }
}
