package io.isometry.http;

import io.isometry.engine.EngineVerticle;
import io.isometry.testing.Await;
import io.isometry.testing.EngineFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The engine the REST and feed tests run against: the test configuration with the {@link Tokens},
 * without the TCP bridge unless a test asks for it, deployed on the test's Vert.x.
 *
 * @param config its configuration (where its workspace and data are)
 * @param port its HTTP port
 */
record TokenEngine(JsonObject config, int port) {

  /** Deploys one with {@code overrides} laid over the tokens and the bridge setting, section by section. */
  static TokenEngine deploy(Vertx vertx, Path temp, JsonObject overrides) throws Exception {
    JsonObject settings = new JsonObject().put("auth", Tokens.auth())
        .put("http", new JsonObject().put("tcpBridgePort", -1))
        .mergeIn(overrides, true);
    JsonObject config = EngineFixture.config(temp, settings);
    EngineVerticle engine = Await.result(EngineFixture.deploy(vertx, config));
    return new TokenEngine(config, engine.httpPort());
  }

  /** With the TCP bridge on a free port (the capabilities name it). */
  static TokenEngine withBridge(Vertx vertx, Path temp) throws Exception {
    return deploy(vertx, temp, new JsonObject().put("http", new JsonObject().put("tcpBridgePort", 0)));
  }

  /** REST calls with {@code token}. */
  RestCalls as(String token) {
    return new RestCalls(port, token);
  }
}
