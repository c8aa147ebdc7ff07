package io.isometry.supervisor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The supervisor's meters. The gauges read atomics that the actor sets whenever it publishes stats,
 * so a scrape on another thread never reads the actor's own state.
 */
final class SupervisorMetrics {

  private final MeterRegistry registry;
  private final Counter started;
  private final Timer queueWait;
  private final Timer spawnLatency;
  private final Timer validationLatency;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger background = new AtomicInteger();
  private final AtomicInteger suspended = new AtomicInteger();

  SupervisorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.started = Counter.builder("isometry.processes.started").description("Processes started").register(registry);
    this.queueWait = Timer.builder("isometry.queue.wait").description("From submit to the start of the spawn")
        .publishPercentileHistogram().register(registry);
    this.spawnLatency = Timer.builder("isometry.spawn.latency").description("From the spawn request to a running child")
        .publishPercentileHistogram().register(registry);
    this.validationLatency = Timer.builder("isometry.validation.latency")
        .description("Round trip of a submit through the validator").publishPercentileHistogram().register(registry);
    gauge("isometry.processes.running", running);
    gauge("isometry.processes.queued", queued);
    gauge("isometry.processes.background", background);
    gauge("isometry.processes.suspended", suspended);
  }

  private void gauge(String name, AtomicInteger value) {
    Gauge.builder(name, value, AtomicInteger::get).register(registry);
  }

  void started(Duration waited, Duration spawn) {
    started.increment();
    queueWait.record(waited);
    spawnLatency.record(spawn);
  }

  void finished(String state, String reason) {
    Counter.builder("isometry.processes.finished").description("Processes that ended, by state and reason")
        .tag("state", state).tag("reason", reason).register(registry).increment();
  }

  void refused(String violationType) {
    Counter.builder("isometry.violations").description("Violations of refused requests, by type")
        .tag("type", violationType).register(registry).increment();
  }

  void validated(Duration latency) {
    validationLatency.record(latency);
  }

  void stats(JsonObject stats) {
    running.set(stats.getInteger("running"));
    queued.set(stats.getInteger("queued"));
    background.set(stats.getInteger("background"));
    suspended.set(stats.getInteger("suspended"));
  }
}
