package io.isometry.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Prometheus registry the engine's meters live in: Vert.x's own when Vert.x was started with
 * Micrometer metrics (as {@code Main} does, so Vert.x's metrics are scraped too), otherwise one per
 * Vert.x instance (a host that embeds the engine without metrics still gets {@code /metrics}).
 * Meter names start with {@code isometry.} ({@code isometry_} in Prometheus).
 */
public final class EngineMetrics {

  private static final Map<Vertx, PrometheusMeterRegistry> OWN = new ConcurrentHashMap<>();

  private EngineMetrics() {
  }

  public static PrometheusMeterRegistry registry(Vertx vertx) {
    if (BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry vertxRegistry) {
      return vertxRegistry;
    }
    return OWN.computeIfAbsent(vertx, v -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Forgets the registry of a Vert.x instance whose engine has stopped. */
  public static void release(Vertx vertx) {
    OWN.remove(vertx);
  }
}
