package io.isometry.supervisor;

import static io.isometry.supervisor.SupervisorRig.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Role;
import io.isometry.contract.Stream;
import io.isometry.os.Signal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The supervisor's state table, row by row, on stand-ins for the machine and for time
 * ({@link SupervisorRig}): every state (queued, starting, running, suspended, ending, exited and
 * draining, finished) against every request (submit, cancel, suspend, resume, background, exit,
 * timeout, memory limit, shutdown), and the racy branches that real processes reach only by luck
 * of timing. The end-to-end tests beside it run the same on real process trees.
 */
@Timeout(10)
class SupervisorTest {

  private static final long GRACE_MS = 5_000;
  private static final long TIMEOUT_MS = 600_000;

  private final SupervisorRig rig = new SupervisorRig(new JsonObject().put("maxConcurrent", 1));
  private final Supervisor supervisor = rig.supervisor;

  private static EngineError refusal(Runnable request) {
    try {
      request.run();
    } catch (EngineError error) {
      return error;
    }
    throw new AssertionError("expected a refusal");
  }

  @Nested
  class Submit {

    @Test
    void aFreeSlotStartsAtOnceAndEveryRecordIsPublishedQueuedFirst() {
      Future<JsonObject> submitted = rig.submit("alice", "sleep 1");
      assertThat(submitted.isComplete()).as("answered once the launch answers").isFalse();
      int pid = rig.launcher.succeedNext();

      String id = submitted.result().getString("id");
      assertThat(submitted.result().getString("state")).isEqualTo("running");
      assertThat(submitted.result().getInteger("pid")).isEqualTo(pid);
      assertThat(rig.events.states(id)).containsExactly("queued", "running");
    }

    @Test
    void withNoFreeSlotItWaitsInFifoOrderAndStartsWhenTheSlotFrees() {
      String first = rig.running("sleep 1");
      JsonObject second = rig.submit("alice", "sleep 2").result();
      JsonObject third = rig.submit("alice", "sleep 3").result();
      assertThat(second.getInteger("queuePosition")).isEqualTo(1);
      assertThat(third.getInteger("queuePosition")).isEqualTo(2);

      rig.exits(1000, 0);

      assertThat(rig.state(first)).isEqualTo("succeeded");
      assertThat(rig.launcher.plans).extracting(plan -> plan.argv().get(1)).containsExactly("1", "2");
      assertThat(rig.record(third.getString("id")).getInteger("queuePosition")).isEqualTo(1);
    }

    @Test
    void aFullQueueRefusesWithQueueFull() {
      SupervisorRig small = new SupervisorRig(new JsonObject().put("maxConcurrent", 1).put("queueCapacity", 1));
      small.running("sleep 1");
      small.submit("alice", "sleep 2");

      EngineError refused = refusal(() -> small.submit("alice", "sleep 3"));

      assertThat(refused.code()).isEqualTo(ErrorCode.QUEUE_FULL);
    }

    @Test
    void aStoppingEngineRefusesWithUnavailable() {
      supervisor.shutdown();

      assertThat(refusal(() -> rig.submit("alice", "true")).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void aRequestWhoseConnectionClosedOnTheWayIsCancelledAtOnce() {
      supervisor.clientGone("socket-1");
      rig.submit("alice", new JsonObject().put("command", "sleep 1"), "socket-1");
      int pid = rig.launcher.succeedNext();

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM);
    }

    @Test
    void aLaunchThatFailsIsFailedAsSpawnFailedWithItsMessageAndFreesTheSlot() {
      Future<JsonObject> submitted = rig.submit("alice", "gone");
      JsonObject next = rig.submit("alice", "true").result();
      rig.launcher.failNext();

      JsonObject record = rig.record(submitted.result().getString("id"));
      assertThat(record.getString("state")).isEqualTo("failed");
      assertThat(record.getString("reason")).isEqualTo("spawn_failed");
      assertThat(record.getString("message")).isEqualTo("no such file");
      assertThat(record.getValue("exitCode")).as("nothing ran, nothing exited").isNull();
      assertThat(rig.launcher.pending).as("the next one is being started").hasSize(1);
      assertThat(rig.record(next.getString("id")).getInteger("queuePosition")).isNull();
    }
  }

  @Nested
  class SandboxFailure {

    @Test
    void aSandboxThatFailedToSetUpIsSpawnFailedWithBubblewrapsLastLine() {
      String id = rig.running("ls");
      int pid = rig.launcher.lastPid();
      rig.children.write(pid, Stream.STDERR, "bwrap: Can't find source path /srv/ws/alice: No such file or directory\n");
      rig.children.exit(pid, io.isometry.os.WaitStatus.NOT_RUN);
      rig.children.endStreams(pid);

      JsonObject record = rig.record(id);
      assertThat(record.getString("state")).isEqualTo("failed");
      assertThat(record.getString("reason")).isEqualTo("spawn_failed");
      assertThat(record.getString("message"))
          .isEqualTo("the sandbox could not be set up: bwrap: Can't find source path /srv/ws/alice: No such file or directory");
    }

    @Test
    void aSandboxEndedByTheEngineBeforeItsCommandRanKeepsTheEnginesReason() {
      String id = rig.running("ls");
      int pid = rig.launcher.lastPid();
      supervisor.cancel(id, ADMIN);
      rig.children.exit(pid, io.isometry.os.WaitStatus.NOT_RUN);
      rig.children.endStreams(pid);

      assertThat(rig.state(id)).isEqualTo("cancelled");
      assertThat(rig.record(id).getValue("message")).isNull();
    }
  }

  @Nested
  class JournalDegraded {

    @Test
    void newRequestsAreRefusedTheQueueHoldsAndRunningProcessesGoOn() {
      String running = rig.running("sleep 1");
      String waiting = rig.submit("alice", "sleep 2").result().getString("id");

      supervisor.journalHealth("the journal cannot write (disk full)");
      EngineError refused = refusal(() -> supervisor.checkAdmissible(
          io.isometry.contract.SubmitRequest.fromJson(new JsonObject().put("command", "ls")), "alice"));
      rig.exits(1000, 0);

      assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(refused.getMessage()).startsWith("the journal cannot write (disk full)");
      assertThat(rig.state(running)).isEqualTo("succeeded");
      assertThat(rig.state(waiting)).as("no start could be marked").isEqualTo("queued");
      assertThat(rig.launcher.plans).hasSize(1);

      supervisor.journalHealth(null);

      assertThat(rig.ledger.asked).last().isEqualTo("dispatch " + waiting);
      assertThat(rig.launcher.plans).hasSize(2);
    }
  }

  @Nested
  class Idempotency {

    private Future<JsonObject> keyed(String owner, String key) {
      return rig.submit(owner, new JsonObject().put("command", "sleep 1").put("idempotencyKey", key), null);
    }

    private String started(String owner, String key) {
      Future<JsonObject> submitted = keyed(owner, key);
      rig.launcher.succeedNext();
      return submitted.result().getString("id");
    }

    @Test
    void aKeyIsHeldForItsOwnerFromThePrepareAndGoesToTheJournalWithTheAccept() {
      String id = started("alice", "k-1");

      assertThat(supervisor.keyed("alice", "k-1")).isEqualTo(id);
      assertThat(supervisor.keyed("bob", "k-1")).as("keys are per owner").isNull();
      assertThat(supervisor.keyed("alice", "k-2")).isNull();
      assertThat(rig.ledger.asked).containsExactly("accept " + id + " dispatched key k-1");
    }

    @Test
    void aKeyIsForgottenAfterTwentyFourHours() {
      String id = started("alice", "k-1");
      rig.time.advance(io.isometry.contract.SubmitRequest.IDEMPOTENCY_WINDOW_MS - 1);
      assertThat(supervisor.keyed("alice", "k-1")).isEqualTo(id);

      rig.time.advance(1);
      supervisor.evict(0);

      assertThat(supervisor.keyed("alice", "k-1")).isNull();
    }

    @Test
    void aRequestAnswered503ReleasesItsKeySoThatARetryMayRun() {
      rig.ledger.hold();
      Future<JsonObject> first = keyed("alice", "k-1");
      rig.ledger.failNext();

      assertThat(first.failed()).isTrue();
      assertThat(supervisor.keyed("alice", "k-1")).as("it never ran").isNull();
    }
  }

  @Nested
  class OutputRetention {

    // One byte written makes a 4 KiB tail: two finished records fit, a third sends the oldest's to the journal.
    private final SupervisorRig small = new SupervisorRig(new JsonObject().put("maxConcurrent", 1)
        .put("outputRetainTotalBytes", 9000));

    private String finishedWithOutput(String text) {
      String id = small.running("echo " + text);
      int pid = small.launcher.lastPid();
      small.children.write(pid, Stream.STDOUT, text);
      small.exits(pid, 0);
      return id;
    }

    @Test
    void theOldestFinishedTailsLeaveTheHeapFirstWhenAllTogetherPassTheBound() {
      String oldest = finishedWithOutput("a");
      String middle = finishedWithOutput("b");
      String newest = finishedWithOutput("c");

      EngineError gone = refusal(() -> small.supervisor.views().output(oldest, Stream.STDOUT, ADMIN));
      assertThat(gone.code()).as("the journal answers for it").isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(small.record(oldest).getJsonObject("output").getLong("stdoutBytes")).isOne();
      assertThat(small.record(oldest).getJsonObject("output").getBoolean("truncated")).isFalse();
      assertThat(small.supervisor.views().output(middle, Stream.STDOUT, ADMIN).getString("data")).isEqualTo("b");
      assertThat(small.supervisor.views().output(newest, Stream.STDOUT, ADMIN).getString("data")).isEqualTo("c");
    }

    @Test
    void evictedRecordsGiveBackTheirShare() {
      String first = finishedWithOutput("a");
      small.time.advance(10_000);
      String second = finishedWithOutput("b");
      small.supervisor.evict(5_000);
      String third = finishedWithOutput("c");

      assertThat(refusal(() -> small.supervisor.views().get(first, ADMIN)).code()).isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(small.supervisor.views().output(second, Stream.STDOUT, ADMIN).getString("data")).isEqualTo("b");
      assertThat(small.supervisor.views().output(third, Stream.STDOUT, ADMIN).getString("data")).isEqualTo("c");
    }
  }

  @Nested
  class ExitTime {

    @Test
    void theEndIsWhenWaitpidReturnedAndTheDurationIsMonotonicNotWhenTheActorHeardOfIt() {
      String id = rig.running("sleep 4");
      int pid = rig.launcher.lastPid();
      rig.time.advance(4_000);
      Stamp reaped = rig.time.stamp();
      // The actor was busy (or the engine paused) for 6.8 s more before it heard of the exit.
      rig.time.advance(6_800);
      rig.children.exitReapedAt(pid, new io.isometry.os.WaitStatus(0, null), reaped);
      rig.children.endStreams(pid);

      JsonObject record = rig.record(id);
      assertThat(record.getLong("durationMs")).isEqualTo(4_000);
      assertThat(record.getString("endedAt")).isEqualTo("2026-01-01T00:00:04.000Z");
    }

    @Test
    void aClockStepDoesNotBendTheDuration() {
      String id = rig.running("sleep 4");
      int pid = rig.launcher.lastPid();
      Stamp spawned = rig.time.stamp();
      // The wall clock jumps back an hour while the monotonic clock moves 4 s on.
      Stamp reaped = new Stamp(spawned.at().minusSeconds(3_600), spawned.nanos() + 4_000_000_000L);
      rig.children.exitReapedAt(pid, new io.isometry.os.WaitStatus(0, null), reaped);
      rig.children.endStreams(pid);

      assertThat(rig.record(id).getLong("durationMs")).isEqualTo(4_000);
    }
  }

  /** At most once: nothing is spawned before the journal holds the mark that it starts. */
  @Nested
  class Dispatch {

    @org.junit.jupiter.api.BeforeEach
    void journalAnswersWhenTold() {
      rig.ledger.hold();
    }

    @Test
    void aFreeSlotIsMarkedDispatchedInTheAcceptAndSpawnedOnlyOnceThatCommits() {
      Future<JsonObject> submitted = rig.submit("alice", "sleep 1");
      assertThat(rig.ledger.asked).hasSize(1).first().asString().endsWith(" dispatched");
      assertThat(rig.launcher.prepared).as("its start is prepared while the mark is written").hasSize(1);
      assertThat(rig.launcher.plans).as("nothing runs before the commit").isEmpty();

      rig.ledger.commitNext();
      assertThat(rig.launcher.plans).hasSize(1);
      rig.launcher.succeedNext();

      assertThat(submitted.result().getString("state")).isEqualTo("running");
    }

    @Test
    void aStartThatFailsWhileItsMarkIsWrittenIsToldOnlyOnceTheMarkCommits() {
      Future<JsonObject> submitted = rig.submit("alice", "sleep 1");
      String id = rig.events.records.get(0).getString("id");
      rig.launcher.failWhilePrepared();

      assertThat(submitted.isComplete()).as("no answer before the accept commits").isFalse();
      assertThat(rig.state(id)).as("not yet told").isEqualTo("queued");

      rig.ledger.commitNext();

      assertThat(rig.state(id)).isEqualTo("failed");
      assertThat(rig.record(id).getString("reason")).isEqualTo("spawn_failed");
      assertThat(rig.record(id).getString("message")).isEqualTo("refused as it started");
      assertThat(rig.launcher.plans).isEmpty();
    }

    @Test
    void anAcceptThatFailsIsAnswered503AndNeverSpawned() {
      Future<JsonObject> submitted = rig.submit("alice", "sleep 1");
      String id = rig.events.records.get(0).getString("id");
      rig.ledger.failNext();

      assertThat(submitted.failed()).isTrue();
      assertThat(((EngineError) submitted.cause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(rig.launcher.plans).as("a 503 never ran").isEmpty();
      assertThat(rig.launcher.withdrawn).as("its prepared start is withdrawn").hasSize(1);
      assertThat(rig.state(id)).isEqualTo("failed");
      assertThat(rig.record(id).getString("reason")).isEqualTo("spawn_failed");
      assertThat(rig.record(id).getString("message")).contains("the journal could not record it");
      assertThat(rig.supervisor.views().stats().getInteger("running")).isZero();
    }

    /** alice's first command running and her second accepted behind it, both journaled. */
    private record OneRunningOneQueued(int pid, String id) {
    }

    private OneRunningOneQueued oneRunningOneQueued() {
      rig.submit("alice", "sleep 1");
      rig.ledger.commitNext();
      int pid = rig.launcher.succeedNext();
      Future<JsonObject> waiting = rig.submit("alice", "sleep 2");
      rig.ledger.commitNext();
      return new OneRunningOneQueued(pid, waiting.result().getString("id"));
    }

    @Test
    void aQueuedRunIsDispatchedWhenASlotFreesAndSpawnedOnlyOnceThatCommits() {
      OneRunningOneQueued queued = oneRunningOneQueued();
      int pid = queued.pid();
      String id = queued.id();

      rig.exits(pid, 0);

      assertThat(rig.ledger.asked).last().isEqualTo("dispatch " + id);
      assertThat(rig.launcher.plans).as("still one spawn: the mark has not committed").hasSize(1);
      rig.ledger.commitNext();
      assertThat(rig.launcher.plans).hasSize(2);
    }

    @Test
    void aDispatchTheJournalCouldNotWriteWaitsAtTheHeadOfTheQueueAndStartsOnceItsMarkCommits() {
      OneRunningOneQueued queued = oneRunningOneQueued();
      int pid = queued.pid();
      rig.submit("alice", "sleep 3");
      rig.ledger.commitNext();
      String id = queued.id();
      rig.exits(pid, 0);

      rig.ledger.failNext();

      assertThat(rig.launcher.plans).as("never spawned without its mark").hasSize(1);
      assertThat(rig.launcher.withdrawn).hasSize(1);
      assertThat(rig.state(id)).as("saying failed could not be recorded either").isEqualTo("queued");
      assertThat(rig.record(id).getInteger("queuePosition")).as("it keeps its turn").isEqualTo(1);

      supervisor.journalHealth(null);

      assertThat(rig.ledger.asked).last().isEqualTo("dispatch " + id);
      rig.ledger.commitNext();
      assertThat(rig.launcher.plans).hasSize(2);
    }

    @Test
    void aDispatchRefusedForAnyOtherReasonIsSpawnFailedAndNeverSpawned() {
      OneRunningOneQueued queued = oneRunningOneQueued();
      int pid = queued.pid();
      String id = queued.id();
      rig.exits(pid, 0);

      rig.ledger.failNext(new EngineError(ErrorCode.NOT_FOUND, "no process '" + id + "' in the journal"));

      assertThat(rig.launcher.plans).hasSize(1);
      assertThat(rig.state(id)).isEqualTo("failed");
      assertThat(rig.record(id).getString("reason")).isEqualTo("spawn_failed");
      assertThat(rig.record(id).getString("message")).contains("the journal could not record it");
    }

    @Test
    void aRunCancelledWhileItsMarkIsWrittenIsNeverSpawned() {
      Future<JsonObject> submitted = rig.submit("alice", "sleep 1");
      String id = rig.events.records.get(0).getString("id");
      supervisor.cancel(id, ADMIN);

      rig.ledger.commitNext();

      assertThat(rig.launcher.plans).isEmpty();
      assertThat(rig.launcher.withdrawn).hasSize(1);
      assertThat(rig.state(id)).isEqualTo("cancelled");
      assertThat(submitted.succeeded()).isTrue();
    }

    @Test
    void aRecordQueuedAtTheLastStopIsDispatchedBeforeItRunsAgain() {
      JsonObject queued = new JsonObject().put("id", "p-1").put("node", "n").put("owner", "alice").put("command", "true")
          .put("argv", new io.vertx.core.json.JsonArray().add("/usr/bin/true")).put("cwd", ".").put("state", "queued")
          .put("createdAt", "2026-01-01T00:00:00.000Z")
          .put("limits", new JsonObject().put("timeoutMs", 1000).put("memoryBytes", 1000));

      supervisor.readmit(queued, new io.isometry.validation.ExecutionPlan(java.util.List.of("/usr/bin/true"), ".",
          java.util.Map.of(), "/workspace/alice"));

      assertThat(rig.ledger.asked).containsExactly("dispatch p-1");
      assertThat(rig.launcher.plans).isEmpty();
      rig.ledger.commitNext();
      assertThat(rig.launcher.plans).hasSize(1);
    }
  }

  @Nested
  class Queued {

    private String waiting;

    @org.junit.jupiter.api.BeforeEach
    void oneRunsOneWaits() {
      rig.running("sleep 1");
      waiting = rig.submit("alice", "sleep 2").result().getString("id");
    }

    @Test
    void cancelEndsItAtOnceWithoutStartingIt() {
      JsonObject answer = supervisor.cancel(waiting, ADMIN);

      assertThat(answer.getString("state")).isEqualTo("cancelled");
      assertThat(answer.getValue("pid")).isNull();
      assertThat(answer.getValue("queuePosition")).isNull();
      rig.exits(1000, 0);
      assertThat(rig.launcher.plans).hasSize(1);
    }

    @Test
    void suspendAndResumeAreInvalidState() {
      assertThat(refusal(() -> supervisor.suspend(waiting, ADMIN)).code()).isEqualTo(ErrorCode.INVALID_STATE);
      assertThat(refusal(() -> supervisor.resume(waiting, ADMIN)).code()).isEqualTo(ErrorCode.INVALID_STATE);
    }

    @Test
    void backgroundMarksItAndItsBudgetStartsOnlyWhenItRuns() {
      SupervisorRig limited = new SupervisorRig(new JsonObject().put("maxConcurrent", 1)
          .put("backgroundPolicy", "limited").put("backgroundBudgetMs", 1_000));
      limited.running("sleep 1");
      String id = limited.submit("alice", "sleep 2").result().getString("id");

      assertThat(limited.supervisor.background(id, ADMIN).getBoolean("background")).isTrue();
      limited.time.advance(999);
      limited.exits(1000, 0);
      int pid = limited.launcher.succeedNext();
      limited.time.advance(999);
      assertThat(limited.children.sentTo(pid)).isEmpty();
      limited.time.advance(1);

      assertThat(limited.children.sentTo(pid)).containsExactly(Signal.TERM);
      limited.killedBy(pid, Signal.TERM);
      assertThat(limited.record(id).getString("reason")).isEqualTo("background_expired");
      assertThat(limited.state(id)).isEqualTo("killed");
    }

    @Test
    void itsTimeoutDoesNotRunWhileItWaits() {
      rig.time.advance(TIMEOUT_MS + 1);

      assertThat(rig.state(waiting)).isEqualTo("queued");
    }

    @Test
    void shutdownEndsItAsLost() {
      Future<Void> stopped = supervisor.shutdown();

      assertThat(rig.record(waiting).getString("state")).isEqualTo("lost");
      assertThat(rig.record(waiting).getString("reason")).isEqualTo("engine_shutdown");
      rig.killedBy(1000, Signal.TERM);
      assertThat(stopped.succeeded()).isTrue();
    }

    @Test
    void itsConnectionClosingCancelsItUnlessItIsInTheBackground() {
      String mine = rig.submit("alice", new JsonObject().put("command", "sleep 3"), "socket-1").result().getString("id");
      String kept = rig.submit("alice", new JsonObject().put("command", "sleep 4").put("background", true), "socket-1")
          .result().getString("id");

      supervisor.clientGone("socket-1");

      assertThat(rig.record(mine).getString("reason")).isEqualTo("client_disconnected");
      assertThat(rig.state(kept)).isEqualTo("queued");
      assertThat(rig.record(kept).getInteger("queuePosition")).isEqualTo(2);
    }
  }

  @Nested
  class Starting {

    private Future<JsonObject> submitted;

    @org.junit.jupiter.api.BeforeEach
    void launchAsked() {
      submitted = rig.submit("alice", "sleep 1");
    }

    private String id() {
      return rig.events.records.get(0).getString("id");
    }

    @Test
    void cancelWaitsForTheLaunchThenTerminatesTheTree() {
      supervisor.cancel(id(), ADMIN);
      assertThat(rig.children.signals).isEmpty();

      int pid = rig.launcher.succeedNext();

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM);
      rig.killedBy(pid, Signal.TERM);
      assertThat(rig.state(id())).isEqualTo("cancelled");
      assertThat(rig.record(id()).getString("signal")).isEqualTo("SIGTERM");
      assertThat(submitted.succeeded()).isTrue();
    }

    @Test
    void cancelThenAFailedLaunchIsCancelledWithoutAnExitCode() {
      supervisor.cancel(id(), ADMIN);
      rig.launcher.failNext();

      assertThat(rig.state(id())).isEqualTo("cancelled");
      assertThat(rig.record(id()).getValue("exitCode")).isNull();
    }

    @Test
    void suspendResumeAreInvalidStateAndBackgroundIsKept() {
      assertThat(refusal(() -> supervisor.suspend(id(), ADMIN)).code()).isEqualTo(ErrorCode.INVALID_STATE);
      assertThat(refusal(() -> supervisor.resume(id(), ADMIN)).code()).isEqualTo(ErrorCode.INVALID_STATE);
      supervisor.background(id(), ADMIN);
      rig.launcher.succeedNext();

      assertThat(rig.record(id()).getBoolean("background")).isTrue();
    }

    @Test
    void aMemoryReportBeforeTheChildIsKnownIsIgnored() {
      supervisor.memoryExceeded(id());
      int pid = rig.launcher.succeedNext();

      assertThat(rig.children.sentTo(pid)).isEmpty();
      assertThat(rig.state(id())).isEqualTo("running");
    }

    @Test
    void endedWhileBeingStartedItsTreeIsKilledAndItIsNotMadeRunningAgain() {
      Future<Void> stopped = supervisor.shutdown();
      rig.time.advance(GRACE_MS + 3 * ProcessRun.DRAIN_GRACE_MS + 1000);
      assertThat(stopped.succeeded()).as("the straggler was forgotten").isTrue();
      assertThat(rig.state(id())).isEqualTo("lost");
      int published = rig.events.records.size();

      int pid = rig.launcher.succeedNext();

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.KILL);
      assertThat(rig.state(id())).isEqualTo("lost");
      assertThat(rig.events.records).hasSize(published);
    }
  }

  @Nested
  class Running {

    private String id;
    private int pid;

    @org.junit.jupiter.api.BeforeEach
    void oneRuns() {
      id = rig.running("sleep 1");
      pid = 1000;
    }

    @Test
    void exitZeroSucceedsAndOtherCodesOrSignalsFail() {
      rig.exits(pid, 0);
      assertThat(rig.record(id).getString("state")).isEqualTo("succeeded");
      assertThat(rig.record(id).getString("reason")).isEqualTo("exit");

      String other = rig.running("false");
      rig.exits(1001, 3);
      assertThat(rig.record(other).getString("state")).isEqualTo("failed");
      assertThat(rig.record(other).getInteger("exitCode")).isEqualTo(3);

      String killed = rig.running("sleep 9");
      rig.killedBy(1002, Signal.KILL);
      assertThat(rig.record(killed).getString("state")).isEqualTo("failed");
      assertThat(rig.record(killed).getString("signal")).isEqualTo("SIGKILL");
      assertThat(rig.record(killed).getValue("exitCode")).isNull();
    }

    @Test
    void outputIsKeptAndPublishedWithItsOffset() {
      rig.children.write(pid, Stream.STDOUT, "hello ");
      rig.children.write(pid, Stream.STDOUT, "world");
      rig.children.write(pid, Stream.STDERR, "oops");

      assertThat(supervisor.views().output(id, Stream.STDOUT, ADMIN).getString("data")).isEqualTo("hello world");
      assertThat(supervisor.views().output(id, Stream.STDERR, ADMIN).getString("data")).isEqualTo("oops");
      assertThat(rig.events.outputs).extracting(o -> o.getLong("offset")).containsExactly(0L, 6L, 0L);
    }

    @Test
    void cancelTerminatesThenKillsAfterTheGracePeriod() {
      assertThat(supervisor.cancel(id, ADMIN).getString("state")).as("answered as it stands").isEqualTo("running");
      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM);
      rig.time.advance(GRACE_MS - 1);
      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM);
      rig.time.advance(1);
      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM, Signal.KILL);

      rig.killedBy(pid, Signal.KILL);

      assertThat(rig.state(id)).isEqualTo("cancelled");
      assertThat(rig.record(id).getString("signal")).isEqualTo("SIGKILL");
      rig.time.advance(RunQueue.COALESCE_MS);
      assertThat(rig.time.pending()).as("no timer outlives it").isZero();
    }

    @Test
    void suspendStopsTheTreeAndResumeContinuesIt() {
      assertThat(supervisor.suspend(id, ADMIN).getString("state")).isEqualTo("suspended");
      assertThat(refusal(() -> supervisor.suspend(id, ADMIN)).code()).isEqualTo(ErrorCode.INVALID_STATE);
      assertThat(supervisor.resume(id, ADMIN).getString("state")).isEqualTo("running");

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.STOP, Signal.CONT);
      assertThat(rig.events.states(id)).containsExactly("queued", "running", "suspended", "running");
    }

    @Test
    void resumeOfARunningProcessIsInvalidState() {
      EngineError refused = refusal(() -> supervisor.resume(id, ADMIN));

      assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_STATE);
      assertThat(refused.toJson().getString("state")).isEqualTo("running");
    }

    @Test
    void backgroundAtOnceOrByItselfAfterAWhile() {
      assertThat(supervisor.background(id, ADMIN).getBoolean("background")).isTrue();
      assertThat(supervisor.background(id, ADMIN).getBoolean("background")).as("again: unchanged").isTrue();

      rig.exits(pid, 0);
      String other = rig.running("sleep 2");
      int otherPid = 1001;
      rig.time.advance(29_999);
      assertThat(rig.record(other).getBoolean("background")).isFalse();
      rig.time.advance(1);
      assertThat(rig.record(other).getBoolean("background")).isTrue();
      assertThat(rig.children.sentTo(otherPid)).as("the full policy lets it run").isEmpty();
    }

    @Test
    void itsTimeoutTerminatesItAsTimedOut() {
      rig.time.advance(TIMEOUT_MS);
      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM);

      rig.killedBy(pid, Signal.TERM);

      assertThat(rig.state(id)).isEqualTo("timed_out");
      assertThat(rig.record(id).getString("reason")).isEqualTo("timeout");
    }

    @Test
    void overItsMemoryLimitItIsKilledAtOnce() {
      supervisor.memoryExceeded(id);
      supervisor.memoryExceeded(id);

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.KILL);
      rig.killedBy(pid, Signal.KILL);
      assertThat(rig.state(id)).isEqualTo("killed");
      assertThat(rig.record(id).getString("reason")).isEqualTo("memory_limit");
    }

    @Test
    void theKernelsOomKillerIsAMemoryLimitToo() {
      rig.children.exitOutOfMemory(pid);
      rig.children.endStreams(pid);

      assertThat(rig.state(id)).isEqualTo("killed");
      assertThat(rig.record(id).getJsonObject("usage").getLong("memoryPeakBytes")).isEqualTo(1234);
    }

    @Test
    void shutdownTerminatesItAndCompletesWhenItHasEnded() {
      Future<Void> stopped = supervisor.shutdown();
      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM);
      assertThat(stopped.isComplete()).isFalse();

      rig.killedBy(pid, Signal.TERM);

      assertThat(stopped.succeeded()).isTrue();
      assertThat(rig.state(id)).isEqualTo("lost");
      assertThat(rig.record(id).getString("reason")).isEqualTo("engine_shutdown");
    }
  }

  @Nested
  class Suspended {

    private String id;
    private final int pid = 1000;

    @org.junit.jupiter.api.BeforeEach
    void oneIsSuspended() {
      id = rig.running("sleep 1");
      supervisor.suspend(id, ADMIN);
    }

    @Test
    void anExitWhileSuspendedEndsItFromItsStatus() {
      rig.killedBy(pid, Signal.KILL);

      assertThat(rig.state(id)).isEqualTo("failed");
      assertThat(rig.record(id).getString("reason")).isEqualTo("exit");
    }

    @Test
    void cancelTerminatesAndContinuesItSoThatItCanActOnTheSignal() {
      supervisor.cancel(id, ADMIN);

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.STOP, Signal.TERM, Signal.CONT);
    }

    @Test
    void itsTimeoutTerminatesAndContinuesItToo() {
      rig.time.advance(TIMEOUT_MS);

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.STOP, Signal.TERM, Signal.CONT);
    }

    @Test
    void backgroundKeepsItSuspended() {
      assertThat(supervisor.background(id, ADMIN).getString("state")).isEqualTo("suspended");
    }

    @Test
    void shutdownTerminatesAndContinuesIt() {
      supervisor.shutdown();

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.STOP, Signal.TERM, Signal.CONT);
    }
  }

  @Nested
  class Ending {

    private String id;
    private final int pid = 1000;

    @org.junit.jupiter.api.BeforeEach
    void oneIsBeingCancelled() {
      id = rig.running("sleep 1");
      supervisor.cancel(id, ADMIN);
    }

    @Test
    void cancelAgainDuringTheGraceIsAnsweredAndChangesNothing() {
      assertThat(supervisor.cancel(id, ADMIN).getString("state")).isEqualTo("running");

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM);
    }

    @Test
    void suspendAndResumeDuringTheGraceAreInvalidState() {
      assertThat(refusal(() -> supervisor.suspend(id, ADMIN)).code()).isEqualTo(ErrorCode.INVALID_STATE);
      assertThat(refusal(() -> supervisor.resume(id, ADMIN)).code()).isEqualTo(ErrorCode.INVALID_STATE);
    }

    @Test
    void theFirstReasonWinsOverATimeoutOrAMemoryLimitThatFollow() {
      supervisor.memoryExceeded(id);
      rig.time.advance(TIMEOUT_MS);
      rig.killedBy(pid, Signal.KILL);

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM, Signal.KILL, Signal.KILL);
      assertThat(rig.record(id).getString("reason")).isEqualTo("cancelled");
    }

    @Test
    void anExitDuringTheGraceKillsWhatIsLeftOfTheTree() {
      rig.killedBy(pid, Signal.TERM);

      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM, Signal.KILL);
      assertThat(rig.state(id)).isEqualTo("cancelled");
      assertThat(rig.record(id).getString("signal")).isEqualTo("SIGTERM");
    }

    @Test
    void shutdownStragglersAreRecordedLostOnceThePatienceRunsOut() {
      Future<Void> stopped = supervisor.shutdown();
      rig.time.advance(GRACE_MS);
      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.TERM, Signal.KILL);
      assertThat(stopped.isComplete()).isFalse();

      rig.time.advance(3 * ProcessRun.DRAIN_GRACE_MS + 1000);

      assertThat(stopped.succeeded()).isTrue();
      assertThat(rig.state(id)).isEqualTo("lost");
      assertThat(rig.record(id).getString("reason")).as("forgotten: lost whatever it was ending for")
          .isEqualTo("engine_shutdown");
      rig.killedBy(pid, Signal.KILL);
      assertThat(rig.children.sentTo(pid)).as("a late exit kills what is left").endsWith(Signal.KILL, Signal.KILL);
      assertThat(rig.state(id)).isEqualTo("lost");
    }
  }

  @Nested
  class Exited {

    private String id;
    private final int pid = 1000;

    @org.junit.jupiter.api.BeforeEach
    void theLeaderExitedButItsPipesAreOpen() {
      id = rig.running("sleep 1");
      rig.children.exit(pid, new io.isometry.os.WaitStatus(0, null));
    }

    @Test
    void itEndsWhenTheStreamsClose() {
      assertThat(rig.state(id)).isEqualTo("running");
      rig.children.endStreams(pid);

      assertThat(rig.state(id)).isEqualTo("succeeded");
      assertThat(rig.children.sentTo(pid)).isEmpty();
    }

    @Test
    void whatHoldsThePipesIsKilledAfterADrainGraceAndItEndsAfterAnother() {
      rig.time.advance(ProcessRun.DRAIN_GRACE_MS);
      assertThat(rig.children.sentTo(pid)).containsExactly(Signal.KILL);
      assertThat(rig.state(id)).isEqualTo("running");

      rig.time.advance(ProcessRun.DRAIN_GRACE_MS);

      assertThat(rig.state(id)).isEqualTo("succeeded");
    }

    @Test
    void cancelSuspendAndMemoryReportsSendNothing() {
      supervisor.cancel(id, ADMIN);
      supervisor.memoryExceeded(id);
      assertThat(refusal(() -> supervisor.suspend(id, ADMIN)).code()).isEqualTo(ErrorCode.INVALID_STATE);
      rig.children.endStreams(pid);

      assertThat(rig.children.sentTo(pid)).isEmpty();
      assertThat(rig.record(id).getString("reason")).isEqualTo("exit");
    }
  }

  @Nested
  class Finished {

    private String id;

    @org.junit.jupiter.api.BeforeEach
    void oneHasEnded() {
      id = rig.running("true");
      rig.exits(1000, 0);
    }

    @Test
    void everyControlIsInvalidState() {
      for (Runnable control : new Runnable[] {
          () -> supervisor.cancel(id, ADMIN), () -> supervisor.suspend(id, ADMIN),
          () -> supervisor.resume(id, ADMIN), () -> supervisor.background(id, ADMIN)}) {
        EngineError refused = refusal(control);
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_STATE);
        assertThat(refused.toJson().getString("state")).isEqualTo("succeeded");
      }
    }

    @Test
    void laterOutputOrExitsChangeNothing() {
      rig.children.write(1000, Stream.STDOUT, "late");
      rig.exits(1000, 1);

      assertThat(rig.state(id)).isEqualTo("succeeded");
      assertThat(rig.events.outputs).isEmpty();
    }

    @Test
    void itIsEvictedOnceOlderThanAsked() {
      rig.time.advance(1_000);
      assertThat(supervisor.evict(1_000)).isZero();
      rig.time.advance(1);

      assertThat(supervisor.evict(1_000)).isEqualTo(1);
      assertThat(refusal(() -> supervisor.views().get(id, ADMIN)).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }

  @Nested
  class Callers {

    @Test
    void anOperatorSeesAndControlsOnlyItsOwnAndAViewerControlsNothing() {
      String id = rig.running("sleep 1");
      Caller bob = new Caller("bob", Role.OPERATOR);
      Caller viewer = new Caller("carol", Role.VIEWER);

      assertThat(refusal(() -> supervisor.views().get(id, bob)).code()).isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(refusal(() -> supervisor.cancel(id, bob)).code()).isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(supervisor.views().list(null, null, bob).getJsonArray("items")).isEmpty();
      assertThat(supervisor.views().get(id, viewer).getString("owner")).isEqualTo("alice");
      assertThat(refusal(() -> supervisor.cancel(id, viewer)).code()).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(supervisor.views().list(ProcessState.RUNNING, 10, new Caller("alice", Role.OPERATOR))
          .getJsonArray("items")).hasSize(1);
      assertThatThrownBy(() -> supervisor.views().list(null, 0, ADMIN)).isInstanceOf(EngineError.class);
    }
  }
}
