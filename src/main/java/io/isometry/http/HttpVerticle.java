package io.isometry.http;

import io.isometry.config.EngineConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's HTTP face: the REST API of {@code /api/v1}, the WebSocket feed and {@code /health}.
 * It keeps no process state; every request becomes an event-bus request to the supervisor or the
 * validator, and every event is relayed to the WebSocket clients as it is.
 *
 * <p>Deploy it with the engine's configuration ({@code http.host}, {@code http.port} — 0 takes a
 * free port —, {@code http.maxBodyBytes}); once it has started, {@link #port()} is the port it
 * listens on.
 */
public final class HttpVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private HttpServer server;

  @Override
  public Future<?> start() {
    EngineConfig.Http http = EngineConfig.from(config()).http();
    EngineRequests engine = new EngineRequests(vertx.eventBus());
    WebSocketFeed feed = new WebSocketFeed(vertx.eventBus(), engine);
    Router router = ApiRouter.create(vertx, http.maxBodyBytes(), new RestApi(engine), feed);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(http.host())
        .setPort(http.port())
        // A WebSocket message is a request like a POST body, so the same limit holds for both.
        .setMaxWebSocketFrameSize(http.maxBodyBytes())
        .setMaxWebSocketMessageSize(http.maxBodyBytes());
    return feed.start()
        .compose(ready -> vertx.createHttpServer(options).requestHandler(router).listen())
        .onSuccess(listening -> {
          server = listening;
          LOG.info("Isometry engine listening on {}", url(http.host(), listening.actualPort()));
        });
  }

  /** The port the server listens on; meaningful once the verticle has started. */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("the HTTP server is not listening yet");
    }
    return server.actualPort();
  }

  private static String url(String host, int port) {
    String authority = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + authority + ":" + port + "/";
  }
}
