package io.isometry.engine;

import io.isometry.client.IsometryClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * An engine embedded in a host's Vert.x: {@link #embed} deploys it and hands back this handle, whose
 * {@link #client()} drives it and whose {@link #close()} stops it. The Vert.x stays the host's: the
 * engine never closes it, and a deploy that fails leaves nothing of the engine running in it.
 */
public final class Engine {

  /** The principal {@link #client()} acts for: what the host submits is recorded as its. */
  public static final String HOST = "host";

  private final Vertx vertx;
  private final String deployment;
  private final EngineVerticle verticle;

  private Engine(Vertx vertx, String deployment, EngineVerticle verticle) {
    this.vertx = vertx;
    this.deployment = deployment;
    this.verticle = verticle;
  }

  /**
   * Deploys the whole engine with {@code config} (a tree from {@code ConfigLoader}); fails with the
   * configuration's or the start's error, the engine's parts already undeployed.
   */
  public static Future<Engine> embed(Vertx vertx, JsonObject config) {
    EngineVerticle verticle = new EngineVerticle();
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config))
        .map(id -> new Engine(vertx, id, verticle));
  }

  /** The host's own client, acting for {@link #HOST} with every right. */
  public IsometryClient client() {
    return client(HOST);
  }

  /** A client with every right acting for {@code principal} (see {@link IsometryClient#trusted}). */
  public IsometryClient client(String principal) {
    return IsometryClient.trusted(vertx, principal);
  }

  /** The port the HTTP server listens on; empty with {@code http.enabled: false}. */
  public Optional<Integer> httpPort() {
    return verticle.httpEnabled() ? Optional.of(verticle.httpPort()) : Optional.empty();
  }

  /** The TCP event-bus bridge's port; empty when HTTP or the bridge is off. */
  public Optional<Integer> tcpBridgePort() {
    return verticle.tcpBridgePort();
  }

  /** Stops the engine: every live process ends ({@code lost} / {@code engine_shutdown}), the data dir is freed. */
  public Future<Void> close() {
    return vertx.undeploy(deployment);
  }
}
