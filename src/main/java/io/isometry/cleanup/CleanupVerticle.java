package io.isometry.cleanup;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Addresses;
import io.isometry.contract.EventType;
import io.isometry.contract.Fields;
import io.isometry.contract.Reason;
import io.isometry.metrics.EngineMetrics;
import io.isometry.os.CgroupHierarchies;
import io.isometry.os.CgroupV1;
import io.isometry.os.Cgroups;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic sweep, every {@code cleanup.intervalMs}: asks the supervisor and the journal to
 * forget finished records older than {@code cleanup.retainFinishedMs} (with their output), and, where the kernel
 * enforces limits with cgroups, finds the processes in this engine's cgroups that no live record
 * owns, kills them and publishes an {@code orphan} event for each job. Its counts go to the log and
 * to metrics. Background budgets under the {@code limited} policy need no sweep: the supervisor
 * ends each one with a timer of its own, to the millisecond.
 */
public final class CleanupVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CleanupVerticle.class);
  private EngineConfig.Cleanup settings;
  private long journalRetainMs;
  private WorkerExecutor worker;
  private OrphanReaper reaper;
  private Counter sweeps;
  private Counter evicted;
  private Counter orphans;
  private Counter journalDeleted;
  private boolean sweeping;

  @Override
  public Future<?> start() {
    EngineConfig config = EngineConfig.from(config());
    settings = config.cleanup();
    journalRetainMs = config.journal().retainFinishedMs();
    MeterRegistry registry = EngineMetrics.registry(vertx);
    sweeps = Counter.builder("isometry.cleanup.sweeps").description("Cleanup sweeps run").register(registry);
    evicted = Counter.builder("isometry.cleanup.evicted").description("Finished records evicted").register(registry);
    orphans = Counter.builder("isometry.cleanup.orphans").description("Orphan processes killed").register(registry);
    journalDeleted = Counter.builder("isometry.cleanup.journal.deleted").description("Finished records deleted from the journal")
        .register(registry);
    worker = vertx.createSharedWorkerExecutor("isometry-cleanup", 1);
    return vertx.eventBus().<JsonObject>request(Addresses.USES_CGROUPS, new JsonObject())
        .compose(reply -> reply.body().getBoolean(Fields.USES_CGROUPS, false)
            ? worker.executeBlocking(() -> Cgroups.reopen(CgroupHierarchies.ofThisProcess(),
                CgroupV1.scopeFor(config.dataDir()), config.limits().cpuCores(),
                reply.body().getJsonArray(Fields.HIERARCHIES, new JsonArray()).stream().map(String.class::cast).toList())
                .map(OrphanReaper::new).orElse(null))
            : Future.succeededFuture(null))
        .onSuccess(created -> {
          reaper = created;
          vertx.setPeriodic(settings.intervalMs(), t -> sweep());
        });
  }

  @Override
  public Future<?> stop() {
    return worker.close();
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    sweeps.increment();
    JsonObject olderThan = new JsonObject().put(Fields.OLDER_THAN_MS, settings.retainFinishedMs());
    Future<Integer> evictions = vertx.eventBus().<JsonObject>request(Addresses.EVICT, olderThan)
        .map(reply -> reply.body().getInteger(Fields.EVICTED, 0));
    // The journal keeps finished records longer (a command history), but not without bound.
    Future<Integer> deletions = vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_EVICT,
            new JsonObject().put(Fields.OLDER_THAN_MS, journalRetainMs))
        .map(reply -> reply.body().getInteger(Fields.DELETED, 0));
    Future<List<OrphanReaper.Orphans>> reaped = reaper == null ? Future.succeededFuture(List.of())
        : vertx.eventBus().<JsonObject>request(Addresses.LIVE_CGROUPS, new JsonObject())
            .compose(reply -> worker.executeBlocking(() -> reaper.reap(names(reply.body().getJsonArray(Fields.CGROUPS)))));
    Future.all(evictions, deletions, reaped)
        .onSuccess(done -> report(evictions.result(), deletions.result(), reaped.result()))
        .onFailure(failure -> LOG.warn("Cleanup sweep failed: {}", failure.getMessage()))
        .onComplete(done -> sweeping = false);
  }

  private void report(int evictedRecords, int deletedRows, List<OrphanReaper.Orphans> found) {
    evicted.increment(evictedRecords);
    journalDeleted.increment(deletedRows);
    int killed = 0;
    for (OrphanReaper.Orphans job : found) {
      killed += job.pids().size();
      vertx.eventBus().publish(Addresses.EVENT_ORPHAN, new JsonObject()
          .put(Fields.TYPE, EventType.ORPHAN.wire())
          .put(Fields.REASON, Reason.ORPHAN.wire())
          .put(Fields.CGROUP, job.cgroup())
          .put("pids", new JsonArray(job.pids())));
    }
    orphans.increment(killed);
    if (evictedRecords > 0 || deletedRows > 0 || killed > 0) {
      LOG.info("Cleanup sweep: evicted {} finished record(s), deleted {} from the journal, "
          + "killed {} orphan process(es) in {} cgroup(s)", evictedRecords, deletedRows, killed, found.size());
    } else {
      LOG.debug("Cleanup sweep: nothing to do");
    }
  }

  private static Set<String> names(JsonArray array) {
    Set<String> names = new HashSet<>();
    array.forEach(name -> names.add((String) name));
    return names;
  }
}
