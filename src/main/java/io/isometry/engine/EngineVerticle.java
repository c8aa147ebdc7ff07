package io.isometry.engine;

import io.isometry.cleanup.CleanupVerticle;
import io.isometry.cluster.ClusterVerticle;
import io.isometry.cluster.NodeName;
import io.isometry.config.EngineConfig;
import io.isometry.http.HttpVerticle;
import io.isometry.journal.JournalVerticle;
import io.isometry.metrics.EngineMetrics;
import io.isometry.monitor.ResourceMonitorVerticle;
import io.isometry.supervisor.SupervisorVerticle;
import io.isometry.validation.ValidationVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole engine in one deployment: what a host application embeds. Its deploy config is the
 * configuration tree ({@code ConfigLoader} builds one; {@code EngineConfig} checks it). It owns
 * nothing but the deployment of the others; undeploying it stops them all, and the supervisor ends
 * every live process on the way out.
 *
 * <p>{@link Engine#embed} deploys it and hands back the client; with {@code http.enabled: false} it
 * deploys no HTTP server, bridge or console.
 */
public final class EngineVerticle extends VerticleBase {

  /** Validation touches the file system (it canonicalises paths), so it runs on worker threads. */
  private static final int VALIDATOR_INSTANCES = 2;

  private final HttpVerticle http = new HttpVerticle();
  /** The others' deployments: when one fails to start, the data dir stays locked until they are gone. */
  private final List<String> parts = new ArrayList<>();
  private DataDirLock dataDirLock;
  private boolean httpEnabled;

  /**
   * Locks the data dir before anything touches it: another engine's recovery would end this one's
   * running processes as left over from a crash. An engine refused there changes nothing.
   */
  @Override
  public Future<?> start() {
    JsonObject json = config();
    EngineConfig config = EngineConfig.from(json);
    httpEnabled = config.http().enabled();
    return vertx.executeBlocking(() -> {
          // Every part reads the node's name from the config: named once, here (a host name lookup).
          NodeName.settle(json);
          return DataDirLock.acquire(config.dataDir());
        })
        .compose(lock -> {
          dataDirLock = lock;
          // Undeployed here: Vert.x would undeploy them too, but only after this start has failed.
          return deployParts(json).recover(failure -> Future.join(parts.stream().map(vertx::undeploy).toList())
              .eventually(this::releaseDataDir)
              .transform(undeployed -> Future.failedFuture(failure)));
        });
  }

  /**
   * The others have stopped by now (Vert.x undeploys them first): their meters go with them, and the
   * data dir is free for the next engine.
   */
  @Override
  public Future<?> stop() {
    EngineMetrics.release(vertx);
    return releaseDataDir();
  }

  /**
   * The port the HTTP server listens on (the real one when the config asked for port 0).
   *
   * @throws IllegalStateException when HTTP is off ({@code http.enabled: false}) or not started yet
   */
  public int httpPort() {
    if (!httpEnabled) {
      throw new IllegalStateException("HTTP is off (http.enabled: false)");
    }
    return http.port();
  }

  /** Whether it serves HTTP ({@code http.enabled}); meaningful once it has started. */
  public boolean httpEnabled() {
    return httpEnabled;
  }

  /** The TCP event-bus bridge's port; empty when HTTP or the bridge is off. */
  public Optional<Integer> tcpBridgePort() {
    return httpEnabled ? Optional.ofNullable(http.tcpBridgePort()) : Optional.empty();
  }

  private Future<String> deployParts(JsonObject json) {
    // The journal first: the supervisor asks it, before anything else, what the last run left.
    return deploy(new JournalVerticle(), new DeploymentOptions().setConfig(json))
        .compose(id -> deploy(SupervisorVerticle.class.getName(), new DeploymentOptions().setConfig(json)))
        .compose(id -> deploy(new ClusterVerticle(), new DeploymentOptions().setConfig(json)))
        .compose(id -> deploy(ValidationVerticle.class.getName(), new DeploymentOptions().setConfig(json)
            .setThreadingModel(ThreadingModel.WORKER).setInstances(VALIDATOR_INSTANCES)))
        .compose(id -> deploy(new ResourceMonitorVerticle(), new DeploymentOptions().setConfig(json)))
        .compose(id -> deploy(new CleanupVerticle(), new DeploymentOptions().setConfig(json)))
        .compose(id -> httpEnabled ? deploy(http, new DeploymentOptions().setConfig(json)) : Future.succeededFuture(id));
  }

  private Future<String> deploy(Deployable verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).onSuccess(parts::add);
  }

  private Future<String> deploy(String verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).onSuccess(parts::add);
  }

  private Future<Void> releaseDataDir() {
    return vertx.executeBlocking(() -> {
      dataDirLock.release();
      return null;
    });
  }
}
