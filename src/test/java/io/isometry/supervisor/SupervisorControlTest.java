package io.isometry.supervisor;

import static io.isometry.testing.Await.failure;
import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.os.ProcStat;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.isometry.testing.ProcFs;
import io.isometry.testing.UnifiedCgroups;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queueing, timeouts, cancel, suspend/resume and background execution on real process trees,
 * checked in {@code /proc}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class SupervisorControlTest {

  /** Forks a grandchild that would outlive it, prints the grandchild's pid, then waits. */
  private static final String FORKS_A_GRANDCHILD = """
      import subprocess, sys, time
      child = subprocess.Popen(['sleep', '300'])
      print(child.pid, flush=True)
      time.sleep(300)
      """;
  /** Ignores SIGTERM, so only SIGKILL ends it. */
  private static final String IGNORES_SIGTERM = """
      import signal, time
      signal.signal(signal.SIGTERM, signal.SIG_IGN)
      print('ready', flush=True)
      time.sleep(300)
      """;

  @TempDir
  Path root;
  private JsonObject config;
  private IsometryClient client;
  private EventLog events;

  private String deploy(Vertx vertx, JsonObject overrides) throws Exception {
    config = EngineFixture.config(root, overrides);
    String deployment = result(EngineFixture.deployment(vertx, config));
    client = IsometryClient.trusted(vertx, EngineFixture.HOST);
    events = result(EventLog.attach(client));
    return deployment;
  }

  private static JsonObject supervisor(JsonObject settings) {
    return new JsonObject().put("supervisor", settings);
  }

  /**
   * A queued request's file is swapped for a link out of the workspace while it waits: it is judged
   * again as it starts, and never runs. Without the sandbox, so that the recheck alone is shown.
   */
  @Test
  void aPlanWhoseFileWasSwappedForALinkWhileItWaitedIsRefusedAsItStarts(Vertx vertx) throws Exception {
    deploy(vertx, supervisor(new JsonObject().put("maxConcurrent", 1).put("maxRunningPerOwner", 1))
        .put("sandbox", new JsonObject().put("mode", "off")));
    Path workspace = EngineFixture.workspace(config, EngineFixture.HOST);
    Path notes = Files.writeString(workspace.resolve("notes.txt"), "notes\n");
    Path secret = Files.writeString(root.resolve("secret.txt"), "outside the workspace\n");
    ProcessSnapshot blocker = result(client.submit(Submission.of("sleep 1")));
    ProcessSnapshot waiting = result(client.submit(Submission.of("cat notes.txt")));
    assertThat(waiting.state()).isEqualTo(ProcessState.QUEUED);

    Files.delete(notes);
    Files.createSymbolicLink(notes, secret);
    ProcessSnapshot done = events.awaitTerminal(waiting.id(), 10_000);

    assertThat(events.awaitTerminal(blocker.id(), 10_000).state()).isEqualTo(ProcessState.SUCCEEDED);
    assertThat(done.state()).isEqualTo(ProcessState.FAILED);
    assertThat(done.pid()).as("it was never spawned").isNull();
    assertThat(events.text(waiting.id(), "stdout")).isEmpty();
  }

  @Test
  void atMostMaxConcurrentRunAndTheRestStartInFifoOrder(Vertx vertx) throws Exception {
    deploy(vertx, supervisor(new JsonObject().put("maxConcurrent", 3).put("maxRunningPerOwner", 3).put("queueCapacity", 5)));
    List<ProcessSnapshot> submitted = new ArrayList<>();
    // Long enough that none ends before all nine submits are in, even on a busy machine.
    for (int i = 0; i < 8; i++) {
      submitted.add(result(client.submit(Submission.of("sleep 1.5"))));
    }

    assertThat(submitted.subList(0, 3)).allMatch(p -> p.state() == ProcessState.RUNNING);
    assertThat(submitted.subList(3, 8)).allMatch(p -> p.state() == ProcessState.QUEUED);
    assertThat(submitted.subList(3, 8)).extracting(ProcessSnapshot::queuePosition).containsExactly(1, 2, 3, 4, 5);
    var refused = failure(client.submit(Submission.of("true")));
    assertThat(refused.code()).isEqualTo(ErrorCode.QUEUE_FULL);
    assertThat(result(client.stats()).getInteger("queued")).isEqualTo(5);

    List<ProcessSnapshot> finished = new ArrayList<>();
    for (ProcessSnapshot process : submitted) {
      finished.add(events.awaitTerminal(process.id(), 20_000));
    }
    assertThat(finished).allMatch(p -> p.state() == ProcessState.SUCCEEDED);
    // FIFO: they leave the queue in the order they came, three at a time (the sleeps end together).
    // Within one wave the sandboxes set up in parallel, so their "running" events may come in any order.
    List<String> order = events.startOrder();
    List<String> ids = submitted.stream().map(ProcessSnapshot::id).toList();
    assertThat(order).as("every one published running once").hasSize(ids.size());
    for (int wave = 0; wave < ids.size(); wave += 3) {
      int end = Math.min(wave + 3, ids.size());
      assertThat(order.subList(wave, end)).as("the order they were published running, wave from %d", wave)
          .containsExactlyInAnyOrderElementsOf(ids.subList(wave, end));
    }
    // The last one arrived 5th and was told of its moves up the queue (in batches) until it started.
    List<Integer> positions = events.records(submitted.get(7).id()).stream()
        .map(ProcessSnapshot::queuePosition).filter(java.util.Objects::nonNull).toList();
    assertThat(positions).hasSizeGreaterThan(1).first().isEqualTo(5);
    assertThat(positions).isSortedAccordingTo(Comparator.reverseOrder()).doesNotHaveDuplicates();
  }

  @Test
  void oneOperatorsFloodLeavesAnotherOperatorsCommandStartingWithinSeconds(Vertx vertx) throws Exception {
    deploy(vertx, supervisor(new JsonObject().put("maxConcurrent", 3).put("queuePerOwner", 4)));
    IsometryClient alice = IsometryClient.trusted(vertx, "alice");
    IsometryClient bob = IsometryClient.trusted(vertx, "bob");
    List<ProcessSnapshot> flood = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      flood.add(result(alice.submit(Submission.of("sleep 30"))));
    }
    var refused = failure(alice.submit(Submission.of("sleep 30")));

    long start = System.nanoTime();
    ProcessSnapshot bobs = result(bob.submit(Submission.of("echo mine")));
    ProcessSnapshot ended = events.awaitTerminal(bobs.id(), 5_000);

    assertThat(flood).extracting(ProcessSnapshot::state).containsExactly(ProcessState.RUNNING, ProcessState.RUNNING,
        ProcessState.QUEUED, ProcessState.QUEUED, ProcessState.QUEUED, ProcessState.QUEUED);
    assertThat(refused.code()).isEqualTo(ErrorCode.QUEUE_FULL);
    assertThat(refused.getMessage()).contains("alice's share of the queue is full");
    assertThat(bobs.state()).as("the slot alice may not take").isEqualTo(ProcessState.RUNNING);
    assertThat(ended.state()).isEqualTo(ProcessState.SUCCEEDED);
    assertThat(System.nanoTime() - start).as("started and ended within seconds").isLessThan(5_000_000_000L);
  }

  @Test
  void aQueuedProcessCanBeCancelledAndTheQueueCloses(Vertx vertx) throws Exception {
    deploy(vertx, supervisor(new JsonObject().put("maxConcurrent", 1)));
    ProcessSnapshot running = result(client.submit(Submission.of("sleep 30")));
    ProcessSnapshot first = result(client.submit(Submission.of("true")));
    ProcessSnapshot second = result(client.submit(Submission.of("true")));
    assertThat(second.queuePosition()).isEqualTo(2);

    ProcessSnapshot cancelled = result(client.cancel(first.id()));

    assertThat(cancelled.state()).isEqualTo(ProcessState.CANCELLED);
    assertThat(cancelled.reason()).isEqualTo(Reason.CANCELLED);
    assertThat(cancelled.pid()).isNull();
    events.await(second.id(), p -> Integer.valueOf(1).equals(p.queuePosition()), 5_000);
    result(client.cancel(running.id()));
    assertThat(events.awaitTerminal(second.id(), 10_000).state()).isEqualTo(ProcessState.SUCCEEDED);
  }

  @Test
  void cancelEndsTheWholeTree(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject());
    String script = EngineFixture.script(config, "tree.py", FORKS_A_GRANDCHILD);
    ProcessSnapshot parent = result(client.submit(Submission.of("python3 " + script)));
    long grandchild = awaitPid(parent.id());
    assertThat(ProcFs.alive(grandchild)).isTrue();

    result(client.cancel(parent.id()));
    ProcessSnapshot done = events.awaitTerminal(parent.id(), 10_000);

    assertThat(done.state()).isEqualTo(ProcessState.CANCELLED);
    assertThat(done.reason()).isEqualTo(Reason.CANCELLED);
    assertThat(done.signal()).isEqualTo("SIGTERM");
    awaitGone(grandchild);
    assertThat(ProcFs.alive(parent.pid())).isFalse();
  }

  @Test
  void aTimeoutSendsSigtermThenSigkillAfterTheGracePeriod(Vertx vertx) throws Exception {
    deploy(vertx, supervisor(new JsonObject().put("gracePeriodMs", 300)));
    String script = EngineFixture.script(config, "stubborn.py", IGNORES_SIGTERM);
    ProcessSnapshot polite = result(client.submit(Submission.of("sleep 30").timeoutMs(300)));
    ProcessSnapshot stubborn = result(client.submit(Submission.of("python3 " + script).timeoutMs(800)));

    ProcessSnapshot politeDone = events.awaitTerminal(polite.id(), 10_000);
    ProcessSnapshot stubbornDone = events.awaitTerminal(stubborn.id(), 10_000);

    assertThat(politeDone.state()).isEqualTo(ProcessState.TIMED_OUT);
    assertThat(politeDone.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(politeDone.signal()).isEqualTo("SIGTERM");
    assertThat(stubbornDone.state()).isEqualTo(ProcessState.TIMED_OUT);
    assertThat(stubbornDone.signal()).isEqualTo("SIGKILL");
    assertThat(stubbornDone.json().getLong("durationMs")).isBetween(1_000L, 5_000L);
  }

  /**
   * By signal (SIGSTOP to the group: its processes show state T), or, where the engine freezes trees
   * with cgroup v2, by {@code cgroup.freeze} (its processes sleep, and the job says {@code frozen 1}).
   */
  @Test
  void suspendStopsTheWholeTreeAndResumeContinuesIt(Vertx vertx) throws Exception {
    suspendAndResume(vertx, new JsonObject());
  }

  /** Without the sandbox a tree cannot be placed in a cgroup v2: suspend is by signal, whatever the machine. */
  @Test
  void withoutTheSandboxSuspendIsBySignal(Vertx vertx) throws Exception {
    assertThat(suspendAndResume(vertx, new JsonObject().put("sandbox", new JsonObject().put("mode", "off"))))
        .as("frozen by cgroup").isFalse();
  }

  private boolean suspendAndResume(Vertx vertx, JsonObject overrides) throws Exception {
    deploy(vertx, overrides);
    boolean byCgroup = UnifiedCgroups.freezes(UnifiedCgroups.capabilities(vertx));
    String script = EngineFixture.script(config, "tree.py", FORKS_A_GRANDCHILD);
    ProcessSnapshot parent = result(client.submit(Submission.of("python3 " + script)));
    long grandchild = awaitPid(parent.id());
    Path job = byCgroup ? UnifiedCgroups.job(config, result(client.get(parent.id())).json().getString("cgroup")) : null;

    ProcessSnapshot suspended = result(client.suspend(parent.id()));

    assertThat(suspended.state()).isEqualTo(ProcessState.SUSPENDED);
    if (byCgroup) {
      assertThat(UnifiedCgroups.awaitFrozen(job, true)).as("the tree's cgroup v2 job is frozen").isTrue();
      assertThat(UnifiedCgroups.members(job)).contains(parent.pid(), grandchild);
    } else {
      assertThat(ProcFs.awaitState(parent.pid(), 'T')).isEqualTo('T');
      assertThat(ProcFs.awaitState(grandchild, 'T')).isEqualTo('T');
    }
    assertThat(result(client.stats()).getInteger("suspended")).isEqualTo(1);

    ProcessSnapshot resumed = result(client.resume(parent.id()));

    assertThat(resumed.state()).isEqualTo(ProcessState.RUNNING);
    if (byCgroup) {
      assertThat(UnifiedCgroups.awaitFrozen(job, false)).as("the tree's cgroup v2 job is thawed").isTrue();
    }
    assertThat(ProcFs.awaitState(parent.pid(), 'S')).isEqualTo('S');
    assertThat(ProcFs.awaitState(grandchild, 'S')).isEqualTo('S');

    result(client.suspend(parent.id()));
    result(client.cancel(parent.id()));
    assertThat(events.awaitTerminal(parent.id(), 10_000).state()).isEqualTo(ProcessState.CANCELLED);
    awaitGone(grandchild);
    return byCgroup;
  }

  @Test
  void processesMoveToTheBackgroundOnRequestAtSubmitAndByThemselves(Vertx vertx) throws Exception {
    deploy(vertx, supervisor(new JsonObject().put("autoBackgroundAfterMs", 400).put("maxRunningPerOwner", 3)));
    ProcessSnapshot moved = result(client.submit(Submission.of("sleep 30")));
    ProcessSnapshot atSubmit = result(client.submit(Submission.of("sleep 30").background(true)));
    ProcessSnapshot automatic = result(client.submit(Submission.of("sleep 30")));

    assertThat(moved.background()).isFalse();
    assertThat(result(client.background(moved.id())).background()).isTrue();
    assertThat(atSubmit.background()).isTrue();
    assertThat(events.await(automatic.id(), ProcessSnapshot::background, 5_000).state()).isEqualTo(ProcessState.RUNNING);
    assertThat(result(client.stats()).getInteger("background")).isEqualTo(3);

    for (ProcessSnapshot process : List.of(moved, atSubmit, automatic)) {
      result(client.cancel(process.id()));
      assertThat(events.awaitTerminal(process.id(), 10_000).state()).isEqualTo(ProcessState.CANCELLED);
    }
  }

  @Test
  void theLimitedPolicyEndsBackgroundProcessesWhenTheirBudgetRunsOut(Vertx vertx) throws Exception {
    deploy(vertx, supervisor(new JsonObject().put("backgroundPolicy", "limited").put("backgroundBudgetMs", 300)));
    ProcessSnapshot foreground = result(client.submit(Submission.of("sleep 30")));
    ProcessSnapshot background = result(client.submit(Submission.of("sleep 30").background(true)));

    ProcessSnapshot expired = events.awaitTerminal(background.id(), 10_000);

    assertThat(expired.state()).isEqualTo(ProcessState.KILLED);
    assertThat(expired.reason()).isEqualTo(Reason.BACKGROUND_EXPIRED);
    assertThat(result(client.get(foreground.id())).state()).isEqualTo(ProcessState.RUNNING);
    result(client.cancel(foreground.id()));
    events.awaitTerminal(foreground.id(), 10_000);
  }

  @Test
  void undeployingTheEngineEndsEveryLiveProcessAsLost(Vertx vertx) throws Exception {
    String engine = deploy(vertx, supervisor(new JsonObject().put("maxConcurrent", 1).put("gracePeriodMs", 500)));
    String script = EngineFixture.script(config, "tree.py", FORKS_A_GRANDCHILD);
    ProcessSnapshot running = result(client.submit(Submission.of("python3 " + script)));
    ProcessSnapshot queued = result(client.submit(Submission.of("sleep 30")));
    long grandchild = awaitPid(running.id());

    result(vertx.undeploy(engine));

    ProcessSnapshot lost = events.awaitTerminal(running.id(), 10_000);
    assertThat(lost.state()).isEqualTo(ProcessState.LOST);
    assertThat(lost.reason()).isEqualTo(Reason.ENGINE_SHUTDOWN);
    assertThat(events.awaitTerminal(queued.id(), 10_000).state()).isEqualTo(ProcessState.LOST);
    assertThat(ProcFs.alive(running.pid())).isFalse();
    awaitGone(grandchild);
  }

  /**
   * The host pid of the grandchild, once the process has said it started one (the pid it prints is
   * the one it sees, in its sandbox's pid namespace): the child of the command's host pid.
   */
  private long awaitPid(String id) throws Exception {
    for (int i = 0; i < 200; i++) {
      String text = events.text(id, "stdout").trim();
      Long command = result(client.get(id)).pid();
      if (!text.isEmpty() && command != null && ProcStat.firstChild(command.intValue()) > 0) {
        return ProcStat.firstChild(command.intValue());
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the process never started its grandchild");
  }

  private static void awaitGone(long pid) throws InterruptedException {
    for (int i = 0; i < 200 && ProcFs.alive(pid); i++) {
      Thread.sleep(25);
    }
    assertThat(ProcFs.alive(pid)).as("process %d is still alive", pid).isFalse();
  }
}
