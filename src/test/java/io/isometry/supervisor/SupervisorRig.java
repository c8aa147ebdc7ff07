package io.isometry.supervisor;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.Caller;
import io.isometry.contract.Role;
import io.isometry.contract.Stream;
import io.isometry.contract.SubmitRequest;
import io.isometry.os.ChildStdin;
import io.isometry.os.CgroupJob;
import io.isometry.os.ChildProcess;
import io.isometry.os.Signal;
import io.isometry.os.WaitStatus;
import io.isometry.validation.ExecutionPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A supervisor on stand-ins for the machine and for time, driven by the test thread alone: launches
 * answer when the test says, children exit and close their streams when the test says, and time
 * moves only when the test moves it. Everything runs at once on the caller's thread, the actor's
 * context included.
 */
final class SupervisorRig {

  static final Caller ADMIN = new Caller("host", Role.ADMIN);

  final ManualTime time = new ManualTime();
  final StandInLauncher launcher = new StandInLauncher(time);
  final StandInLedger ledger = new StandInLedger();
  final StandInChildren children = new StandInChildren(time);
  final RecordedEvents events = new RecordedEvents();
  final Supervisor supervisor;

  SupervisorRig(JsonObject supervisorSettings) {
    EngineConfig config = EngineConfig.from(ConfigLoader.withOverrides(new JsonObject().put("supervisor", supervisorSettings)));
    supervisor = new Supervisor(config, new Supervisor.Seams(launcher, ledger, children, time, time.clock(),
        Runnable::run),
        events, new SupervisorMetrics(new SimpleMeterRegistry()), "test-node");
  }

  SupervisorRig() {
    this(new JsonObject());
  }

  /** Submits {@code command} (validated as itself) for {@code owner}; the future completes once it runs or waits. */
  Future<JsonObject> submit(String owner, String command) {
    return submit(owner, new JsonObject().put("command", command), null);
  }

  Future<JsonObject> submit(String owner, JsonObject body, String clientId) {
    SubmitRequest request = SubmitRequest.fromJson(body);
    ExecutionPlan plan = new ExecutionPlan(List.of(request.displayCommand().split(" ")), ".", Map.of(), "/workspace/" + owner);
    return supervisor.admit(supervisor.prepare(request, plan, owner, clientId));
  }

  /** Submits and launches at once with the next pid; answers the record's id. */
  String running(String command) {
    Future<JsonObject> submitted = submit("alice", command);
    launcher.succeedNext();
    return submitted.result().getString("id");
  }

  JsonObject record(String id) {
    return supervisor.views().get(id, ADMIN);
  }

  String state(String id) {
    return record(id).getString("state");
  }

  /** A child exits with {@code code} and closes both its streams. */
  void exits(int pid, int code) {
    children.exit(pid, new WaitStatus(code, null));
    children.endStreams(pid);
  }

  /** A child is ended by {@code signal} and closes both its streams. */
  void killedBy(int pid, Signal signal) {
    children.exit(pid, new WaitStatus(null, signal));
    children.endStreams(pid);
  }

  /** Wall-clock time and timers that move only when the test moves them. */
  static final class ManualTime implements Timers {

    private record Due(long at, long id) implements Comparable<Due> {
      @Override
      public int compareTo(Due other) {
        return at != other.at ? Long.compare(at, other.at) : Long.compare(id, other.id);
      }
    }

    private final TreeMap<Due, Runnable> timers = new TreeMap<>();
    private final Map<Long, Due> byId = new HashMap<>();
    private long now = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private long nextId = 1;

    Clock clock() {
      return new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now);
        }
      };
    }

    @Override
    public long schedule(long delayMs, Runnable action) {
      Due due = new Due(now + delayMs, nextId++);
      timers.put(due, action);
      byId.put(due.id(), due);
      return due.id();
    }

    @Override
    public void cancel(long timer) {
      Due due = byId.remove(timer);
      if (due != null) {
        timers.remove(due);
      }
    }

    /** Moves time forward, firing every timer due on the way, in order. */
    void advance(long ms) {
      long target = now + ms;
      while (!timers.isEmpty() && timers.firstKey().at() <= target) {
        Map.Entry<Due, Runnable> first = timers.pollFirstEntry();
        byId.remove(first.getKey().id());
        now = first.getKey().at();
        first.getValue().run();
      }
      now = target;
    }

    int pending() {
      return timers.size();
    }

    /** Now, by both clocks (the monotonic one moves with the manual one). */
    Stamp stamp() {
      return new Stamp(Instant.ofEpochMilli(now), now * 1_000_000);
    }
  }

  /**
   * Launches that answer when the test says, with pids from 1000 up. Like the real launcher, each is
   * prepared at once and goes on only when it may start: then it is pending, and its plan is among
   * {@link #plans} (what ran); one that may not start fails at once and is among {@link #withdrawn}.
   */
  static final class StandInLauncher implements Launcher {

    final List<CompletableFuture<ProcessLauncher.Launched>> pending = new ArrayList<>();
    final List<ExecutionPlan> plans = new ArrayList<>();
    final List<ExecutionPlan> prepared = new ArrayList<>();
    final List<ExecutionPlan> withdrawn = new ArrayList<>();
    private CompletableFuture<ProcessLauncher.Launched> lastPrepared;
    final List<CgroupJob> released = new ArrayList<>();
    private final ManualTime time;
    private int nextPid = 1000;

    StandInLauncher(ManualTime time) {
      this.time = time;
    }

    @Override
    public CompletableFuture<ProcessLauncher.Launched> launch(ExecutionPlan plan, long memoryBytes, ChildStdin stdin,
                                                              CompletableFuture<Boolean> go) {
      CompletableFuture<ProcessLauncher.Launched> launch = new CompletableFuture<>();
      prepared.add(plan);
      lastPrepared = launch;
      go.whenComplete((mayStart, failure) -> {
        if (launch.isDone()) {
          return;
        }
        if (Boolean.TRUE.equals(mayStart)) {
          pending.add(launch);
          plans.add(plan);
        } else {
          withdrawn.add(plan);
          launch.completeExceptionally(new java.io.IOException("withdrawn"));
        }
      });
      return launch;
    }

    /** The stand-in's launches take no cgroup job. */
    @Override
    public java.util.Set<String> startingJobs() {
      return java.util.Set.of();
    }

    @Override
    public void release(CgroupJob job) {
      released.add(job);
    }

    /** The oldest unanswered launch succeeds; answers its pid. */
    int succeedNext() {
      int pid = nextPid++;
      pending.remove(0).complete(new ProcessLauncher.Launched(
          new ChildProcess(pid, InputStream.nullInputStream(), InputStream.nullInputStream(), null, null),
          ProcessTree.unconfined(pid, null), 42L, null, time.stamp()));
      return pid;
    }

    /** The last launch asked for fails while it is prepared, before it may start (its recheck refused it). */
    void failWhilePrepared() {
      lastPrepared.completeExceptionally(new java.io.IOException("refused as it started"));
    }

    void failNext() {
      pending.remove(0).completeExceptionally(new java.io.IOException("no such file"));
    }

    /** The pid of the last child launched. */
    int lastPid() {
      return nextPid - 1;
    }
  }

  /**
   * A journal that commits at once, or, once held, when the test says; what it was asked, in order
   * ({@code accept <id> dispatched|queued}, {@code dispatch <id>}).
   */
  static final class StandInLedger implements Ledger {

    final List<String> asked = new ArrayList<>();
    final List<Promise<Void>> pending = new ArrayList<>();
    private boolean held;

    @Override
    public Future<Void> accept(JsonObject record, ExecutionPlan plan, boolean dispatched, String idempotencyKey) {
      return ask("accept " + record.getString("id") + (dispatched ? " dispatched" : " queued")
          + (idempotencyKey == null ? "" : " key " + idempotencyKey));
    }

    @Override
    public Future<Void> dispatch(String id) {
      return ask("dispatch " + id);
    }

    /** From now on, commits wait for {@link #commitNext()} or {@link #failNext()}. */
    void hold() {
      held = true;
    }

    void commitNext() {
      pending.remove(0).complete();
    }

    void failNext() {
      failNext(new EngineError(ErrorCode.UNAVAILABLE, "the journal could not write: disk full"));
    }

    void failNext(EngineError why) {
      pending.remove(0).fail(why);
    }

    private Future<Void> ask(String what) {
      asked.add(what);
      if (!held) {
        return Future.succeededFuture();
      }
      Promise<Void> promise = Promise.promise();
      pending.add(promise);
      return promise.future();
    }
  }

  /** Children the test makes exit, write and close; every signal sent is recorded. */
  static final class StandInChildren implements Children {

    record Sent(int pid, Signal signal) {
    }

    final List<Sent> signals = new ArrayList<>();
    final Map<Integer, Watcher> watched = new HashMap<>();
    private final ManualTime time;

    StandInChildren(ManualTime time) {
      this.time = time;
    }

    /** The child was reaped at {@code reaped}, and the actor hears of it only now. */
    void exitReapedAt(int pid, WaitStatus status, Stamp reaped) {
      watched.get(pid).exited(status, null, reaped);
    }

    @Override
    public void signal(ProcessLauncher.Launched child, Signal signal) {
      signals.add(new Sent(child.child().pid(), signal));
    }

    @Override
    public void watch(ProcessLauncher.Launched child, String processId, Watcher watcher) {
      watched.put(child.child().pid(), watcher);
    }

    List<Signal> sentTo(int pid) {
      return signals.stream().filter(sent -> sent.pid() == pid).map(Sent::signal).toList();
    }

    void exit(int pid, WaitStatus status) {
      watched.get(pid).exited(status, null, time.stamp());
    }

    void exitOutOfMemory(int pid) {
      watched.get(pid).exited(new WaitStatus(null, Signal.KILL), new JobReport(true, 1234), time.stamp());
    }

    void endStreams(int pid) {
      watched.get(pid).streamEnded(Stream.STDOUT);
      watched.get(pid).streamEnded(Stream.STDERR);
    }

    void write(int pid, Stream stream, String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      watched.get(pid).output(stream, new OutputChunk(bytes, text), () -> { });
    }
  }

  /** Every event the supervisor published, in order. */
  static final class RecordedEvents implements SupervisorEvents {

    final List<JsonObject> records = new ArrayList<>();
    final List<JsonObject> outputs = new ArrayList<>();
    final List<JsonObject> stats = new ArrayList<>();

    @Override
    public void process(JsonObject record) {
      records.add(record);
    }

    @Override
    public void output(String id, Stream stream, long offset, int bytes, String data) {
      outputs.add(new JsonObject().put("id", id).put("stream", stream.wire()).put("offset", offset).put("data", data));
    }

    @Override
    public void stats(JsonObject stats) {
      this.stats.add(stats);
    }

    @Override
    public void journalOutput(String id, String stdout, String stderr) {
    }

    @Override
    public void rejected(String owner, JsonObject request, JsonArray violations, Instant at) {
    }

    /** The states published for one process, in order. */
    List<String> states(String id) {
      return records.stream().filter(r -> id.equals(r.getString("id"))).map(r -> r.getString("state")).toList();
    }
  }
}
