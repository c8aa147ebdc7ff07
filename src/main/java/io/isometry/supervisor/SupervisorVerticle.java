package io.isometry.supervisor;

import static io.isometry.contract.Requests.answering;
import static io.isometry.contract.Requests.answeringNow;
import static io.isometry.contract.Requests.id;
import static io.isometry.contract.Requests.nonNegative;
import static io.isometry.contract.Requests.optional;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Requests;
import io.isometry.contract.StdinRequest;
import io.isometry.contract.Stream;
import io.isometry.contract.TerminalSize;
import io.isometry.contract.Version;
import io.isometry.metrics.EngineMetrics;
import io.isometry.sandbox.Workspaces;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event-bus face of the {@link Supervisor}: exactly one per node. It turns request messages
 * into calls on the actor (all on this verticle's context) and replies with records or with the
 * contract's errors. Its start takes up what the previous run left ({@link PreviousRun}); submits go
 * their own way through the validator ({@link Submissions}); records the supervisor has forgotten
 * come from the journal ({@link RecordLookup}).
 */
public final class SupervisorVerticle extends VerticleBase {

  private Supervisor supervisor;
  private RecordLookup records;
  private Submissions submissions;
  private ExecutorService pumps;
  private Enforcement enforcement;
  private Workspaces workspaces;
  private ProcessLauncher launcher;

  @Override
  public Future<?> start() {
    EngineConfig config = EngineConfig.from(config());
    return vertx.executeBlocking(() -> HostSetup.prepare(config)).compose(host -> {
      enforcement = host.enforcement();
      enforcement.log();
      workspaces = new Workspaces(config.workspace(), enforcement.runAs);
      return PreviousRun.recover(vertx, enforcement.cgroups).compose(previous -> {
        pumps = Executors.newCachedThreadPool(daemonThreads("isometry-output-"));
        SupervisorEvents events = SupervisorEvents.on(vertx.eventBus());
        SupervisorMetrics metrics = new SupervisorMetrics(EngineMetrics.registry(vertx));
        launcher = new ProcessLauncher(enforcement, host.policy()::recheck, workspaces, config.limits().memoryBytes(),
            config.limits().maxProcesses(), config.supervisor().maxConcurrent() + 1);
        Context context = vertx.getOrCreateContext();
        Clock clock = Clock.systemUTC();
        Supervisor.Seams seams = new Supervisor.Seams(launcher, new JournalLedger(vertx), new OsChildren(pumps),
            Timers.of(vertx), clock,
            command -> context.runOnContext(v -> command.run()));
        supervisor = new Supervisor(config, seams, events, metrics, host.node());
        records = new RecordLookup(vertx.eventBus(), supervisor.views());
        submissions = new Submissions(vertx.eventBus(), supervisor, records, events, metrics, clock);
        previous.handTo(supervisor);
        vertx.setPeriodic(config.monitor().intervalMs(), t -> supervisor.publishStats());
        return registerConsumers();
      });
    });
  }

  /** Who asks {@code /capabilities}, and the workspace its commands run in (an absolute host path). */
  private JsonObject principal(Caller caller) {
    String workspace;
    try {
      workspace = workspaces.of(caller.principal()).toString();
    } catch (IllegalArgumentException noWorkspace) {
      workspace = null;
    }
    return new JsonObject().put("name", caller.principal()).put("role", caller.role().wire())
        .put(Fields.WORKSPACE, workspace);
  }

  @Override
  public Future<?> stop() {
    return supervisor.shutdown()
        // Local only: this node's journal waits for it, and a clustered bus whose cluster has gone
        // could not tell where else it should go.
        .onComplete(done -> vertx.eventBus().publish(Addresses.SUPERVISOR_STOPPED, new JsonObject(),
            new DeliveryOptions().setLocalOnly(true)))
        .eventually(() -> {
      pumps.shutdownNow();
      return vertx.executeBlocking(() -> {
        // The spawner first: a sandbox it spawns after the launcher closed would be held by no one.
        enforcement.spawner.close();
        launcher.close();
        enforcement.close();
        return null;
      });
    });
  }

  /**
   * The public requests are answered here on this node's own addresses ({@code isometry.node.<node>.…}):
   * every node's {@code ClusterVerticle} answers the public ones and sends each to the node concerned.
   * The internal ones are this node's alone (local consumers).
   */
  private String onNode(String address) {
    return Addresses.onNode(supervisor.node(), address);
  }

  private Future<?> registerConsumers() {
    EventBus bus = vertx.eventBus();
    List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
    consumers.add(bus.consumer(onNode(Addresses.SUBMIT), answering((body, message) -> submissions.submit(body, message))));
    consumers.add(bus.consumer(onNode(Addresses.CANCEL), answeringNow((body, message) -> supervisor.cancel(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.SUSPEND), answeringNow((body, message) -> supervisor.suspend(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.RESUME), answeringNow((body, message) -> supervisor.resume(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.BACKGROUND),
        answeringNow((body, message) -> supervisor.background(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.STDIN),
        answeringNow((body, message) -> supervisor.stdin(id(body), Caller.of(message), StdinRequest.fromJson(body)))));
    consumers.add(bus.consumer(onNode(Addresses.RESIZE), answeringNow((body, message) ->
        supervisor.resize(id(body), Caller.of(message), TerminalSize.fromJson(body, false)))));
    consumers.add(bus.consumer(onNode(Addresses.GET), answering((body, message) -> records.get(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.LIST), answeringNow((body, message) -> supervisor.views().list(
        state(optional(body, Fields.STATE, String.class)), optional(body, Fields.LIMIT, Integer.class), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.OUTPUT), answering((body, message) ->
        records.output(id(body), Stream.fromWire(body.getValue(Fields.STREAM)), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.STATS), answeringNow((body, message) -> supervisor.views().stats())));
    consumers.add(bus.consumer(onNode(Addresses.CAPABILITIES), answeringNow((body, message) -> enforcement.describe()
        .put("version", Version.engine()).put("node", supervisor.node())
        .put("principal", principal(Caller.of(message))))));
    // Cluster-wide: a connection on any node may have foreground processes here.
    consumers.add(bus.consumer(Addresses.CLIENT_GONE, message -> {
      if (Requests.body(message).getValue(Fields.CLIENT_ID) instanceof String clientId) {
        supervisor.clientGone(clientId);
      }
    }));
    // Asked of every node (ClusterViews): a session's processes may run anywhere.
    consumers.add(bus.consumer(onNode(Addresses.CLIENT_ATTACH), answeringNow((body, message) -> new JsonObject()
        .put(Fields.PROCESSES, new JsonArray(supervisor.clientAttached(Requests.text(body, Fields.CLIENT_ID)))))));
    consumers.add(bus.localConsumer(Addresses.USAGE_REPORT, message -> {
      JsonObject body = Requests.body(message);
      if (body.getValue(Fields.ID) instanceof String id && body.getValue(Fields.USAGE) instanceof JsonObject usage) {
        supervisor.usage(id, usage);
      }
    }));
    consumers.add(bus.localConsumer(Addresses.LIMIT_EXCEEDED, message -> {
      if (Requests.body(message).getValue(Fields.ID) instanceof String id) {
        supervisor.memoryExceeded(id);
      }
    }));
    consumers.add(bus.localConsumer(Addresses.JOURNAL_HEALTH, message -> {
      JsonObject health = Requests.body(message);
      supervisor.journalHealth("up".equals(health.getString(Fields.STATUS)) ? null : health.getString(Fields.REASON));
    }));
    consumers.add(bus.localConsumer(Addresses.USES_CGROUPS, answeringNow((body, message) ->
        new JsonObject().put(Fields.USES_CGROUPS, enforcement.cgroups != null)
            .put(Fields.HIERARCHIES, enforcement.cgroups == null ? new JsonArray() : new JsonArray(enforcement.cgroups.hierarchies())))));
    consumers.add(bus.localConsumer(Addresses.LIVE_CGROUPS, answeringNow((body, message) ->
        new JsonObject().put(Fields.CGROUPS, new JsonArray(supervisor.liveCgroups())))));
    consumers.add(bus.localConsumer(Addresses.EVICT, answeringNow((body, message) -> new JsonObject()
        .put(Fields.EVICTED, supervisor.evict(nonNegative(body, Fields.OLDER_THAN_MS))))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** A state a list may ask for; null for all. */
  private static ProcessState state(String wire) {
    if (wire == null) {
      return null;
    }
    try {
      return ProcessState.fromWire(wire);
    } catch (IllegalArgumentException e) {
      throw new EngineError(ErrorCode.INVALID_REQUEST, "unknown state '" + wire + "'");
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
