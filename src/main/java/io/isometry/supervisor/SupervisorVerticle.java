package io.isometry.supervisor;

import static io.isometry.contract.Requests.answering;
import static io.isometry.contract.Requests.answeringNow;
import static io.isometry.contract.Requests.header;
import static io.isometry.contract.Requests.id;
import static io.isometry.contract.Requests.nonNegative;
import static io.isometry.contract.Requests.optional;

import io.isometry.auth.Credentials;
import io.isometry.cluster.DeclaredLost;
import io.isometry.config.EngineConfig;
import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.contract.Requests;
import io.isometry.contract.StdinRequest;
import io.isometry.contract.Stream;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.TerminalSize;
import io.isometry.contract.Version;
import io.isometry.metrics.EngineMetrics;
import io.isometry.os.CgroupV1;
import io.isometry.os.Identity;
import io.isometry.sandbox.Workspaces;
import io.isometry.validation.ExecuteAccess;
import io.isometry.validation.ExecutionPlan;
import io.isometry.validation.SecurityPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-bus face of the {@link Supervisor}: exactly one per node. It turns request messages
 * into calls on the actor (all on this verticle's context) and replies with records or with the
 * contract's errors. Submits pass through the validator first.
 */
public final class SupervisorVerticle extends VerticleBase {

  private static final long VALIDATION_TIMEOUT_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(SupervisorVerticle.class);
  /** Who the supervisor is when it asks the journal for records: it judges the caller's right to them itself. */
  private static final Caller ITSELF = Caller.trustedHost("supervisor");

  private final Clock clock = Clock.systemUTC();
  private Supervisor supervisor;
  private SupervisorEvents events;
  private SupervisorMetrics metrics;
  private ExecutorService pumps;
  private Enforcement enforcement;
  private Workspaces workspaces;
  private ProcessLauncher launcher;

  @Override
  public Future<?> start() {
    EngineConfig config = EngineConfig.from(config());
    return vertx.executeBlocking(() -> prepareHost(config)).compose(host -> {
      enforcement = host.enforcement();
      enforcement.log();
      workspaces = new Workspaces(config.workspace(), enforcement.runAs);
      return recoverable().compose(left -> vertx.executeBlocking(() -> endPreviousTrees(left)))
          .compose(left -> DeclaredLost.among(vertx, left.stream()
                  .map(entry -> entry.getJsonObject(Fields.RECORD).getString(Fields.ID)).toList())
              .map(declared -> new Recovered(left, declared)))
          .compose(recovered -> {
            List<JsonObject> left = recovered.left();
            pumps = Executors.newCachedThreadPool(daemonThreads("isometry-output-"));
            events = SupervisorEvents.on(vertx.eventBus());
            metrics = new SupervisorMetrics(EngineMetrics.registry(vertx));
            launcher = new ProcessLauncher(enforcement, host.policy()::recheck, workspaces, config.limits().memoryBytes(),
                config.limits().maxProcesses(), config.supervisor().maxConcurrent() + 1);
            Context context = vertx.getOrCreateContext();
            Supervisor.Seams seams = new Supervisor.Seams(launcher, new JournalLedger(vertx), new OsChildren(pumps),
                Timers.of(vertx), clock,
                command -> context.runOnContext(v -> command.run()));
            supervisor = new Supervisor(config, seams, events, metrics, host.node());
            carryOn(left, recovered.declaredLost());
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

  /** The journal's live records from the last run, and those among them the cluster declared lost, by id. */
  private record Recovered(List<JsonObject> left, Map<String, JsonObject> declaredLost) {
  }

  /** What the journal says was live when the engine last stopped: {record, plan} entries, oldest first. */
  private Future<List<JsonObject>> recoverable() {
    return vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_RECOVER, new JsonObject(),
            new DeliveryOptions().addHeader(Addresses.HEADER_STOP_NOTICE, "true"))
        .map(reply -> reply.body().getJsonArray(Fields.LIVE, new JsonArray()).stream().map(JsonObject.class::cast).toList());
  }

  /** Blocking: kills the trees a previous run left running, and its empty cgroup jobs. */
  private List<JsonObject> endPreviousTrees(List<JsonObject> left) throws InterruptedException {
    Recovery recovery = new Recovery(enforcement.cgroups);
    for (JsonObject entry : left) {
      JsonObject record = entry.getJsonObject(Fields.RECORD);
      if (!ProcessState.QUEUED.wire().equals(record.getString(Fields.STATE))) {
        recovery.endTree(record);
      }
    }
    recovery.removeLeftoverJobs();
    return left;
  }

  /**
   * The previous run's live records: running ones, and queued ones whose start had been decided, are
   * lost; the others run as if nothing happened.
   */
  private void carryOn(List<JsonObject> left, Map<String, JsonObject> declaredLost) {
    int lost = 0;
    int requeued = 0;
    for (JsonObject entry : left) {
      JsonObject record = entry.getJsonObject(Fields.RECORD);
      JsonObject declared = declaredLost.get(record.getString(Fields.ID));
      if (declared != null) {
        // The cluster reported it lost with this node: it does not run again, and the report stands.
        supervisor.restoreLost(record, Reason.NODE_LOST, Instant.parse(declared.getString(Fields.ENDED_AT)));
        lost++;
        continue;
      }
      // A record without a plan was never acknowledged: it did not wait for anything, and does not run.
      // A dispatched one may have run before the engine stopped: it is never started a second time.
      if (ProcessState.QUEUED.wire().equals(record.getString(Fields.STATE)) && entry.getJsonObject(Fields.PLAN) != null
          && !entry.getBoolean(Fields.DISPATCHED, false)) {
        supervisor.readmit(record, ExecutionPlan.fromJson(entry.getJsonObject(Fields.PLAN)));
        requeued++;
      } else {
        supervisor.restoreLost(record);
        lost++;
      }
    }
    if (!left.isEmpty()) {
      LOG.info("Recovered from the journal: {} process(es) lost with the previous run, {} queued one(s) taken back",
          lost, requeued);
    }
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
      enforcement.spawner.close();
      return vertx.executeBlocking(() -> {
        launcher.close();
        enforcement.close();
        return null;
      });
    });
  }

  /** What start needs from the machine, found off the event loop (file system, /proc, name lookups). */
  /** What start finds out, off the event loop: the node's name, the enforcement, the policy plans are re-judged by. */
  private record Host(String node, Enforcement enforcement, SecurityPolicy policy) {
  }

  private static Host prepareHost(EngineConfig config) throws IOException {
    Files.createDirectories(config.workspace());
    refuseUnreachableWorkspace(config);
    Enforcement enforcement = Enforcement.detect(config, CgroupV1.scopeFor(config.dataDir()));
    prepareWorkspaces(config, enforcement);
    return new Host(config.node(), enforcement, SecurityPolicy.create(config));
  }

  /**
   * The workspaces of the principals the configuration names (or of the engine's own, when it makes
   * its token), so that their users find them there to put files in before their first command.
   * Other principals (a host's own) get theirs on first use.
   */
  private static void prepareWorkspaces(EngineConfig config, Enforcement enforcement) throws IOException {
    Workspaces workspaces = new Workspaces(config.workspace(), enforcement.runAs);
    List<String> principals = config.auth().tokens().isEmpty() ? List.of(Credentials.LOCAL_PRINCIPAL)
        : config.auth().tokens().stream().map(EngineConfig.Token::principal).distinct().toList();
    for (String principal : principals) {
      workspaces.ensure(principal);
    }
  }

  /**
   * Children run as the run-as user in {@code <workspace>/<owner>}: when that user cannot pass
   * through to the workspace, every command would be accepted and then fail. The engine refuses to
   * start instead, naming the directory and the fix.
   */
  private static void refuseUnreachableWorkspace(EngineConfig config) throws IOException {
    Identity runAs = Identity.ofChildren(config.runAs());
    Path root = config.workspace().toAbsolutePath().normalize();
    Optional<String> why = ExecuteAccess.searchRefusal(root, runAs);
    if (why.isPresent()) {
      throw new IllegalStateException("the workspace " + root + " cannot be reached by " + runAs.name()
          + ", the user commands run as: " + why.get() + "; make every directory on the way searchable by it"
          + " (chmod o+x), or set 'workspace' to a directory it can reach");
    }
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
    consumers.add(bus.consumer(onNode(Addresses.SUBMIT), answering(this::submit)));
    consumers.add(bus.consumer(onNode(Addresses.CANCEL), answeringNow((body, message) -> supervisor.cancel(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.SUSPEND), answeringNow((body, message) -> supervisor.suspend(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.RESUME), answeringNow((body, message) -> supervisor.resume(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.BACKGROUND),
        answeringNow((body, message) -> supervisor.background(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.STDIN),
        answeringNow((body, message) -> supervisor.stdin(id(body), Caller.of(message), StdinRequest.fromJson(body)))));
    consumers.add(bus.consumer(onNode(Addresses.RESIZE), answeringNow((body, message) ->
        supervisor.resize(id(body), Caller.of(message), TerminalSize.fromJson(body, false)))));
    consumers.add(bus.consumer(onNode(Addresses.GET), answering((body, message) -> get(id(body), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.LIST), answeringNow((body, message) -> supervisor.views().list(
        state(optional(body, Fields.STATE, String.class)), optional(body, Fields.LIMIT, Integer.class), Caller.of(message)))));
    consumers.add(bus.consumer(onNode(Addresses.OUTPUT), answering((body, message) ->
        output(id(body), Stream.fromWire(body.getValue(Fields.STREAM)), Caller.of(message)))));
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

  private Future<JsonObject> submit(JsonObject body, Message<?> message) {
    String clientId = header(message, Addresses.HEADER_CLIENT);
    Caller caller = Caller.of(message);
    caller.requireControl();
    String owner = caller.principal();
    SubmitRequest request = SubmitRequest.fromJson(body);
    String key = request.idempotencyKey();
    if (key == null) {
      return validateAndAdmit(body, request, caller, clientId);
    }
    // A retry answers with the first request's record, whatever became of it; it never runs again.
    return firstWithKey(owner, key, caller)
        .compose(first -> first != null ? Future.succeededFuture(first) : validateAndAdmit(body, request, caller, clientId));
  }

  private Future<JsonObject> validateAndAdmit(JsonObject body, SubmitRequest request, Caller caller, String clientId) {
    String owner = caller.principal();
    supervisor.checkAdmissible(request, owner);
    long validationStart = System.nanoTime();
    // The caller goes along: the request is judged in its owner's workspace.
    return vertx.eventBus().<JsonObject>request(Addresses.VALIDATE, body,
            new DeliveryOptions().setSendTimeout(VALIDATION_TIMEOUT_MS)
                .addHeader(Addresses.HEADER_OWNER, owner).addHeader(Addresses.HEADER_ROLE, caller.role().wire()))
        .compose(verdict -> {
          metrics.validated(Duration.ofNanos(System.nanoTime() - validationStart));
          JsonObject result = verdict.body();
          if (!result.getBoolean(Fields.ALLOWED, false)) {
            return refuse(owner, body, result.getJsonArray(Fields.VIOLATIONS, new JsonArray()));
          }
          // The same key may have come again while this one was judged: the first to get here runs.
          String raced = request.idempotencyKey() == null ? null : supervisor.keyed(owner, request.idempotencyKey());
          if (raced != null) {
            return get(raced, caller);
          }
          return supervisor.admit(supervisor.prepare(request, ExecutionPlan.fromJson(result.getJsonObject(Fields.PLAN)),
              owner, clientId));
        });
  }

  /**
   * The record of {@code owner}'s first request with {@code key} within the window, from memory or
   * (after a restart) from the journal; null when there is none. When the journal cannot say, the
   * submit is refused (503): running it could run it twice.
   */
  private Future<JsonObject> firstWithKey(String owner, String key, Caller caller) {
    String id = supervisor.keyed(owner, key);
    if (id != null) {
      return get(id, caller);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_BY_KEY,
            new JsonObject().put(Fields.OWNER, owner).put(Fields.IDEMPOTENCY_KEY, key),
            new DeliveryOptions().setSendTimeout(VALIDATION_TIMEOUT_MS))
        .transform(found -> {
          if (found.succeeded()) {
            return Future.succeededFuture(found.result().body());
          }
          if (EngineError.from(found.cause()).code() == ErrorCode.NOT_FOUND) {
            return Future.succeededFuture();
          }
          return Future.failedFuture(new EngineError(ErrorCode.UNAVAILABLE,
              "the journal cannot say whether this key was used before: " + found.cause().getMessage()));
        });
  }

  /** A record from memory, or, once it has been evicted or the engine restarted, from the journal. */
  private Future<JsonObject> get(String id, Caller caller) {
    try {
      return Future.succeededFuture(supervisor.views().get(id, caller));
    } catch (EngineError e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
      return journalRecord(id, caller);
    }
  }

  /** The retained output, from memory or from the journal (for records the journal alone still holds). */
  private Future<JsonObject> output(String id, Stream stream, Caller caller) {
    try {
      return Future.succeededFuture(supervisor.views().output(id, stream, caller));
    } catch (EngineError e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
      return journalRecord(id, caller).compose(record -> vertx.eventBus()
          .<JsonObject>request(Addresses.JOURNAL_OUTPUT_GET, new JsonObject().put(Fields.ID, id).put(Fields.STREAM, stream.wire()),
              ITSELF.headers())
          .map(reply -> reply.body()));
    }
  }

  /** The journal's record, if the caller may see it; otherwise, like a record nobody has, not found. */
  private Future<JsonObject> journalRecord(String id, Caller caller) {
    EngineError notFound = new EngineError(ErrorCode.NOT_FOUND, "no process '" + id + "'");
    return vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_GET, new JsonObject().put(Fields.ID, id), ITSELF.headers())
        .transform(reply -> reply.succeeded() && caller.sees(reply.result().body().getString(Fields.OWNER))
            ? Future.succeededFuture(reply.result().body()) : Future.failedFuture(notFound));
  }

  private Future<JsonObject> refuse(String owner, JsonObject request, JsonArray violations) {
    for (Object violation : violations) {
      metrics.refused(((JsonObject) violation).getString("type"));
    }
    events.rejected(owner, withoutEnvironmentValues(request), violations, clock.instant());
    String first = violations.isEmpty() ? "" : ": " + violations.getJsonObject(0).getString("message");
    return Future.failedFuture(new EngineError(ErrorCode.SECURITY_VIOLATION,
        "the request breaks the security policy" + first, new JsonObject().put(Fields.VIOLATIONS, violations)));
  }

  /** The audit trail keeps the names of requested variables, never their values (they may be secrets). */
  private static JsonObject withoutEnvironmentValues(JsonObject request) {
    JsonObject copy = request.copy();
    if (copy.getValue(Fields.ENV) instanceof JsonObject env) {
      copy.put(Fields.ENV, new JsonArray(new ArrayList<>(env.fieldNames())));
    }
    return copy;
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
