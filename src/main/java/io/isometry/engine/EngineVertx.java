package io.isometry.engine;

import io.isometry.cluster.HazelcastSettings;
import io.isometry.cluster.NodeName;
import io.isometry.config.EngineConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Instant;

/**
 * A Vert.x instance with its own metrics (event loops, event bus, HTTP) in a Prometheus registry,
 * which the engine then shares for its {@code isometry_*} meters: what {@code Main} starts, and
 * what a host may start too when it wants both in {@code /metrics}. With {@code cluster.enabled} it
 * is a clustered Vert.x (Hazelcast, see docs/cluster.md).
 */
public final class EngineVertx {

  private EngineVertx() {
  }

  public static Vertx create() {
    return builder(options(), null).build();
  }

  /**
   * A Vert.x for {@code config}: clustered when {@code cluster.enabled}, joined once the future
   * completes. Names the node in {@code config} first (its {@code node} key). Blocking: the host
   * name may need a lookup, and so call it before any event loop is in play (from {@code main}, a
   * test's set-up).
   */
  public static Future<Vertx> create(JsonObject config) {
    String node = NodeName.settle(config);
    EngineConfig.Cluster cluster = EngineConfig.from(config).cluster();
    if (!cluster.enabled()) {
      return Future.succeededFuture(builder(options(), node).build());
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.of(cluster, node, Instant.now()));
    VertxOptions options = options().setEventBusOptions(new EventBusOptions().setHost(cluster.host()).setPort(0));
    return builder(options, node).withClusterManager(manager).buildClustered();
  }

  private static VertxOptions options() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
  }

  /** {@code node}, when known, tags every meter: one scrape per node, told apart in a cluster's dashboards. */
  private static VertxBuilder builder(VertxOptions options, String node) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (node != null) {
      registry.config().commonTags("node", node);
    }
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }
}
