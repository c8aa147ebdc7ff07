package io.isometry.engine;

import io.isometry.cleanup.CleanupVerticle;
import io.isometry.config.EngineConfig;
import io.isometry.http.HttpVerticle;
import io.isometry.journal.JournalVerticle;
import io.isometry.metrics.EngineMetrics;
import io.isometry.monitor.ResourceMonitorVerticle;
import io.isometry.supervisor.SupervisorVerticle;
import io.isometry.validation.ValidationVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * The whole engine in one deployment: what a host application embeds. Its deploy config is the
 * configuration tree ({@code ConfigLoader} builds one; {@code EngineConfig} checks it). It owns
 * nothing but the deployment of the others; undeploying it stops them all, and the supervisor ends
 * every live process on the way out.
 *
 * <pre>{@code
 * vertx.deployVerticle(new EngineVerticle(), new DeploymentOptions().setConfig(ConfigLoader.defaults()))
 *     .onSuccess(id -> new IsometryClient(vertx).submit(Submission.of("ls -la")));
 * }</pre>
 */
public final class EngineVerticle extends VerticleBase {

  /** Validation touches the file system (it canonicalises paths), so it runs on worker threads. */
  private static final int VALIDATOR_INSTANCES = 2;

  private final HttpVerticle http = new HttpVerticle();

  @Override
  public Future<?> start() {
    JsonObject json = config();
    EngineConfig.from(json);
    // The journal first: the supervisor asks it, before anything else, what the last run left.
    return vertx.deployVerticle(new JournalVerticle(), new DeploymentOptions().setConfig(json))
        .compose(id -> deploy(SupervisorVerticle.class.getName(), new DeploymentOptions().setConfig(json)))
        .compose(id -> deploy(ValidationVerticle.class.getName(), new DeploymentOptions().setConfig(json)
            .setThreadingModel(ThreadingModel.WORKER).setInstances(VALIDATOR_INSTANCES)))
        .compose(id -> vertx.deployVerticle(new ResourceMonitorVerticle(), new DeploymentOptions().setConfig(json)))
        .compose(id -> vertx.deployVerticle(new CleanupVerticle(), new DeploymentOptions().setConfig(json)))
        .compose(id -> vertx.deployVerticle(http, new DeploymentOptions().setConfig(json)));
  }

  /** The others have stopped by now (Vert.x undeploys them first): their meters go with them. */
  @Override
  public Future<?> stop() {
    EngineMetrics.release(vertx);
    return Future.succeededFuture();
  }

  /** The port the HTTP bridge listens on (the real one when the config asked for port 0). */
  public int httpPort() {
    return http.port();
  }

  private Future<String> deploy(String verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options);
  }
}
