package io.isometry.cleanup;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic sweep: every {@code cleanup.intervalMs} it asks the supervisor to forget finished
 * records older than {@code cleanup.retainFinishedMs}, so a long-running engine's memory stays
 * bounded. Stateless; the supervisor does the evicting on its own context.
 */
public final class CleanupVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CleanupVerticle.class);
  private EngineConfig.Cleanup settings;

  @Override
  public Future<?> start() {
    settings = EngineConfig.from(config()).cleanup();
    vertx.setPeriodic(settings.intervalMs(), t -> sweep());
    return Future.succeededFuture();
  }

  private void sweep() {
    vertx.eventBus().<JsonObject>request(Addresses.EVICT, new JsonObject().put("olderThanMs", settings.retainFinishedMs()))
        .onSuccess(reply -> {
          int evicted = reply.body().getInteger("evicted", 0);
          if (evicted > 0) {
            LOG.info("Cleanup evicted {} finished record(s)", evicted);
          }
        })
        .onFailure(failure -> LOG.warn("Cleanup sweep failed: {}", failure.getMessage()));
  }
}
