package io.isometry.monitor;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Addresses;
import io.isometry.contract.EventType;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.metrics.EngineMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every live process tree each {@code monitor.intervalMs}: publishes {@code usage} events,
 * reports them to the supervisor (which keeps them in the records), and tells it when a tree's
 * resident memory is over its limit — only for trees the kernel does not limit itself (no cgroup job):
 * summed RSS counts pages shared between processes once per process (workers forked over a common
 * heap), so beside a memory cgroup it would only kill trees the kernel rightly lets live.
 * It learns which processes are live from the lifecycle events; its own small state (the trees and
 * their peaks) lives on its context, the sampling on a worker thread.
 */
public final class ResourceMonitorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceMonitorVerticle.class);

  /** @param memoryLimit the sampled limit, or {@code Long.MAX_VALUE} where the kernel's cgroup limit holds */
  private record Watched(List<Integer> sessions, long memoryLimit) {
  }

  private final Map<String, Watched> watched = new HashMap<>();
  private final AtomicLong sampledRss = new AtomicLong();
  private final AtomicLong sampledCpuTenths = new AtomicLong();
  private Timer sampleDuration;
  private final Map<String, Long> peaks = new HashMap<>();
  private WorkerExecutor sampling;
  private TreeSampler sampler;
  private boolean busy;

  @Override
  public Future<?> start() {
    long interval = EngineConfig.from(config()).monitor().intervalMs();
    MeterRegistry registry = EngineMetrics.registry(vertx);
    Gauge.builder("isometry.sampled.rss", sampledRss, AtomicLong::get).baseUnit("bytes")
        .description("Resident memory of every live process tree, as last sampled").register(registry);
    Gauge.builder("isometry.sampled.cpu.percent", sampledCpuTenths, tenths -> tenths.get() / 10.0)
        .description("CPU of every live process tree, as last sampled (100 is one core)").register(registry);
    sampleDuration = Timer.builder("isometry.monitor.sample.duration").description("Time to sample every live tree")
        .register(registry);
    sampling = vertx.createSharedWorkerExecutor("isometry-monitor", 1);
    return sampling.executeBlocking(TreeSampler::new).compose(created -> {
      sampler = created;
      vertx.setPeriodic(interval, t -> sample());
      return vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENT_PROCESS, message -> track(message.body()))
          .completion();
    });
  }

  @Override
  public Future<?> stop() {
    return sampling.close();
  }

  private void track(JsonObject event) {
    JsonObject record = event.getJsonObject(Fields.RECORD);
    String id = record.getString(Fields.ID);
    ProcessState state = ProcessState.fromWire(record.getString(Fields.STATE));
    // The tree is the session the record names (a record journaled before there was one: its pid's).
    Integer session = record.getInteger(Fields.PROCESS_GROUP, record.getInteger(Fields.PID));
    if ((state == ProcessState.RUNNING || state == ProcessState.SUSPENDED) && session != null) {
      long limit = record.getString(Fields.CGROUP) != null ? Long.MAX_VALUE
          : record.getJsonObject(Fields.LIMITS).getLong(Fields.MEMORY_BYTES);
      // A command on a terminal leads a session of its own (in the sandbox, not pid 1's).
      Integer command = record.getInteger(Fields.PID);
      List<Integer> sessions = record.getBoolean(Fields.TTY, false) && command != null && !command.equals(session)
          ? List.of(session, command) : List.of(session);
      watched.put(id, new Watched(sessions, limit));
    } else if (state.isTerminal()) {
      watched.remove(id);
      peaks.remove(id);
    }
  }

  private void sample() {
    if (watched.isEmpty()) {
      sampledRss.set(0);
      sampledCpuTenths.set(0);
      return;
    }
    if (busy) {
      return;
    }
    busy = true;
    List<TreeSampler.Tree> trees = new ArrayList<>(watched.size());
    watched.forEach((id, tree) -> trees.add(new TreeSampler.Tree(id, tree.sessions())));
    sampling.executeBlocking(() -> sampleDuration.recordCallable(() -> sampler.sample(trees)), true)
        .onSuccess(this::publish)
        .onFailure(failure -> LOG.warn("Sampling failed: {}", failure.getMessage()))
        .onComplete(done -> busy = false);
  }

  private void publish(List<TreeUsage> usages) {
    sampledRss.set(usages.stream().mapToLong(TreeUsage::rssBytes).sum());
    sampledCpuTenths.set(Math.round(usages.stream().mapToDouble(TreeUsage::cpuPercent).sum() * 10));
    for (TreeUsage usage : usages) {
      Watched tree = watched.get(usage.id());
      if (tree == null) {
        continue;
      }
      long peak = Math.max(peaks.getOrDefault(usage.id(), 0L), usage.rssBytes());
      peaks.put(usage.id(), peak);
      JsonObject json = usage.toJson(peak);
      vertx.eventBus().publish(Addresses.EVENT_USAGE,
          new JsonObject().put(Fields.TYPE, EventType.USAGE.wire()).put(Fields.ID, usage.id()).put(Fields.USAGE, json));
      vertx.eventBus().send(Addresses.USAGE_REPORT, new JsonObject().put(Fields.ID, usage.id()).put(Fields.USAGE, json));
      if (usage.rssBytes() > tree.memoryLimit()) {
        LOG.info("{} uses {} bytes, over its limit of {}", usage.id(), usage.rssBytes(), tree.memoryLimit());
        vertx.eventBus().send(Addresses.LIMIT_EXCEEDED,
            new JsonObject().put(Fields.ID, usage.id()).put(Fields.RSS_BYTES, usage.rssBytes()));
      }
    }
  }
}
