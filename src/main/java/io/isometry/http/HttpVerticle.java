package io.isometry.http;

import io.isometry.auth.Credentials;
import io.isometry.config.EngineConfig;
import io.isometry.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's HTTP face: the REST API of {@code /api/v1}, the WebSocket feed, the SockJS and TCP
 * event-bus bridges, the web console and {@code /health}. It keeps no process state; every request
 * becomes an event-bus request to the supervisor or the validator, made for the principal its token
 * names, and every event is relayed to those who may see it.
 *
 * <p>Deploy it with the engine's configuration (one instance: the clients' registry, the owners of
 * processes and the rate limits live on its context); once it has started, {@link #port()} is the
 * port it listens on and {@link #tcpBridgePort()} the TCP bridge's.
 */
public final class HttpVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  /**
   * How long a stop waits for the sockets' close handshakes. Vert.x's default for a server that is
   * closed with its verticle is a graceful 30 s: an engine with a console open would take that long
   * to stop.
   */
  private static final long SHUTDOWN_GRACE_MS = 1000;

  private HttpServer server;
  private TcpBridge tcpBridge;
  private Integer tcpBridgePort;
  private FeedMetrics feedMetrics;

  @Override
  public Future<?> start() {
    EngineConfig config = EngineConfig.from(config());
    return vertx.executeBlocking(() -> Credentials.load(config)).compose(credentials -> start(config, credentials));
  }

  private Future<?> start(EngineConfig config, Credentials credentials) {
    EngineConfig.Http http = config.http();
    EngineRequests engine = new EngineRequests(vertx.eventBus());
    SubmitLimiter limiter = new SubmitLimiter(http.submitRatePerSecond(), http.submitBurst(), System::nanoTime);
    Audience audience = new Audience();
    OriginPolicy origins = new OriginPolicy(http.allowedOrigins());
    ClientCommands commands = new ClientCommands(engine, credentials.registry(), limiter);
    feedMetrics = new FeedMetrics(EngineMetrics.registry(vertx));
    WebSocketFeed feed = new WebSocketFeed(vertx, context, engine, commands, credentials.registry(), origins,
        http.maxBodyBytes(), feedMetrics);
    BridgeAccess access = new BridgeAccess(credentials.registry(), limiter);
    EngineEvents events = new EngineEvents(audience, List.of(feed, new OwnerChannels(vertx.eventBus())));
    return events.start(vertx.eventBus())
        .compose(ready -> http.tcpBridgePort() < 0
            ? Future.<Integer>succeededFuture(null)
            : startTcpBridge(access, http))
        .compose(bridgePort -> {
          tcpBridgePort = bridgePort;
          RestApi api = new RestApi(engine, limiter, surface(http, bridgePort));
          ApiRouter.Parts parts = new ApiRouter.Parts(http.maxBodyBytes(), origins,
              new BearerAuthentication(credentials.registry()), api, feed, new SockJsBridge(vertx, access, audience));
          HttpServerOptions options = new HttpServerOptions()
              .setHost(http.host())
              .setPort(http.port())
              // A WebSocket message is a request like a POST body, so the same limit holds for both.
              .setMaxWebSocketFrameSize(http.maxBodyBytes())
              .setMaxWebSocketMessageSize(http.maxBodyBytes())
              // A half-sent request, or a client gone without a word, must not hold a connection for ever.
              .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, http.idleTimeoutMs()))
              .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
              // HTTP/1.1 only in clear text. No client of the contract needs h2c (browsers speak HTTP/2
              // only over TLS); an h2c upgrade is a second way to parse a request (the smuggling path
              // through proxies that pass Upgrade on), and the JDK's client upgrading to Vert.x's server
              // saw its connection closed or left unanswered now and then (MetricsScrapeTest in CI).
              .setHttp2ClearTextEnabled(false);
          // The feed's sockets may have nothing to say for longer (a quiet engine): a ping keeps them.
          vertx.setPeriodic(Math.max(1, http.idleTimeoutMs() / 3), ping -> feed.ping());
          return vertx.createHttpServer(options).requestHandler(ApiRouter.create(vertx, parts))
              .invalidRequestHandler(new InvalidRequests()).listen()
              .recover(failure -> cannotListen(http.host(), http.port(), failure));
        })
        .onSuccess(listening -> {
          server = listening;
          String url = url(http.host(), listening.actualPort());
          LOG.info("Isometry engine listening on {}{}", url,
              tcpBridgePort == null ? "" : " (TCP event-bus bridge on port " + tcpBridgePort + ")");
          // The one place a token is ever printed: the engine's own, so its user can open the console.
          credentials.generatedToken().ifPresent(token -> {
            LOG.info("Web console: {}?token={}", url, token);
            LOG.info("The console's workspace: {} (every principal works in its own, under the workspace root)",
                Path.of(config().getString("workspace")).toAbsolutePath().normalize().resolve(Credentials.LOCAL_PRINCIPAL));
          });
        });
  }

  private Future<Integer> startTcpBridge(BridgeAccess access, EngineConfig.Http http) {
    tcpBridge = new TcpBridge(vertx, access, http.maxBodyBytes(), BridgeAccess.AUTH_GRACE_MS);
    return tcpBridge.listen(http.host(), http.tcpBridgePort())
        .recover(failure -> cannotListen(http.host(), http.tcpBridgePort(), failure));
  }

  /** The bind's own message ("Address already in use") does not say which address. */
  private static <T> Future<T> cannotListen(String host, int port, Throwable failure) {
    return Future.failedFuture(new IOException("cannot listen on " + authority(host, port) + ": " + failure.getMessage(),
        failure));
  }

  @Override
  public Future<?> stop() {
    Future<Void> bridge = tcpBridge == null ? Future.succeededFuture() : tcpBridge.close();
    Future<Void> http = server == null ? Future.succeededFuture()
        : server.shutdown(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
    return Future.join(bridge, http).andThen(stopped -> {
      if (feedMetrics != null) {
        feedMetrics.close();
      }
    });
  }

  /** The port the server listens on; meaningful once the verticle has started. */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("the HTTP server is not listening yet");
    }
    return server.actualPort();
  }

  /** The TCP event-bus bridge's port; null when the bridge is off ({@code http.tcpBridgePort: -1}). */
  public Integer tcpBridgePort() {
    return tcpBridgePort;
  }

  /** What this surface adds to {@code /capabilities}. */
  private static JsonObject surface(EngineConfig.Http http, Integer bridgePort) {
    return new JsonObject()
        .put("tcpBridgePort", bridgePort)
        .put("eventBusBridge", SockJsBridge.PATH)
        .put("webSocket", ApiRouter.WEB_SOCKET_PATH)
        .put("maxBodyBytes", http.maxBodyBytes())
        .put("submitRate", new JsonObject().put("perSecond", http.submitRatePerSecond()).put("burst", http.submitBurst()));
  }

  private static String url(String host, int port) {
    return "http://" + authority(host, port) + "/";
  }

  private static String authority(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
