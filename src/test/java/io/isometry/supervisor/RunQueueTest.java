package io.isometry.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.validation.ExecutionPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fair queue alone: slots, per-owner shares, owners in turn, FIFO within each, positions. */
@Timeout(10)
class RunQueueTest {

  private final SupervisorRig.ManualTime time = new SupervisorRig.ManualTime();
  private final List<ProcessRecord> published = new ArrayList<>();
  private int ids;

  private RunQueue queue(int maxRunning, int maxRunningPerOwner, int queueCapacity, int queuePerOwner) {
    return new RunQueue(new RunQueue.Shares(maxRunning, maxRunningPerOwner, queueCapacity, queuePerOwner), time,
        published::add);
  }

  private ProcessRun run(String owner) {
    String id = owner + "-" + ++ids;
    ProcessRecord record = new ProcessRecord(id, "node", owner, null, "true", List.of("/bin/true"), ".", null,
        1_000, 1 << 24, Instant.EPOCH, 0);
    // The queue never starts or ends a run: of what runs share, only the timers are made with one.
    ProcessRun.RunContext context = new ProcessRun.RunContext(time, null, null, null, null, null);
    return new ProcessRun(record, new ExecutionPlan(List.of("/bin/true"), ".", Map.of(), "/workspace/" + owner), context);
  }

  /** Starts it if it may start now, queues it otherwise (as the supervisor does). */
  private ProcessRun submit(RunQueue queue, String owner) {
    ProcessRun run = run(owner);
    queue.checkRoom(owner);
    if (queue.canStartNow(owner)) {
      queue.occupy(run);
    } else {
      queue.add(run);
    }
    return run;
  }

  private static List<String> ids(List<ProcessRun> runs) {
    return runs.stream().map(run -> run.record.id).toList();
  }

  @Test
  void oneOwnerIsServedFirstInFirstOutWithinItsShareOfTheSlots() {
    RunQueue queue = queue(3, 2, 64, 16);
    ProcessRun first = submit(queue, "alice");
    submit(queue, "alice");
    ProcessRun third = submit(queue, "alice");
    ProcessRun fourth = submit(queue, "alice");

    assertThat(queue.queued()).as("a slot is free, but not for alice").isEqualTo(2);
    assertThat(queue.next()).isNull();
    queue.vacate(first);
    assertThat(queue.next()).isSameAs(third);
    assertThat(fourth.record.queuePosition).isEqualTo(2);
  }

  @Test
  void anOwnerAtItsShareLeavesTheFreeSlotToAnother() {
    RunQueue queue = queue(3, 2, 64, 16);
    submit(queue, "alice");
    submit(queue, "alice");
    submit(queue, "alice");

    assertThat(queue.canStartNow("bob")).isTrue();
  }

  @Test
  void whenASlotFreesTheOwnersTakeTurnsEachInItsOwnOrder() {
    RunQueue queue = queue(1, 1, 64, 16);
    ProcessRun running = submit(queue, "alice");
    for (String owner : List.of("alice", "alice", "alice", "bob", "bob", "carol")) {
      submit(queue, owner);
    }
    assertThat(ids(queue.inTurn())).containsExactly("alice-2", "bob-5", "carol-7", "alice-3", "bob-6", "alice-4");

    List<String> started = new ArrayList<>();
    ProcessRun previous = running;
    ProcessRun next;
    queue.vacate(previous);
    while ((next = queue.next()) != null) {
      started.add(next.record.id);
      queue.occupy(next);
      queue.vacate(next);
    }

    assertThat(started).containsExactly("alice-2", "bob-5", "carol-7", "alice-3", "bob-6", "alice-4");
    assertThat(queue.queued()).isZero();
  }

  @Test
  void positionsFollowTheTurnsAndArrivalsArePublishedOnce() {
    RunQueue queue = queue(1, 1, 64, 16);
    submit(queue, "alice");
    ProcessRun a2 = submit(queue, "alice");
    ProcessRun a3 = submit(queue, "alice");
    ProcessRun b4 = submit(queue, "bob");

    assertThat(a2.record.queuePosition).isEqualTo(1);
    assertThat(b4.record.queuePosition).as("bob's first comes before alice's second").isEqualTo(2);
    assertThat(a3.record.queuePosition).isEqualTo(3);
    assertThat(published).extracting(record -> record.id).startsWith("alice-2", "alice-3", "bob-4");
    assertThat(queue.remove(a2)).isTrue();
    assertThat(queue.remove(a2)).isFalse();
    assertThat(a3.record.queuePosition).as("alice's turn is still first").isEqualTo(1);
    assertThat(b4.record.queuePosition).isEqualTo(2);
  }

  @Test
  void aFullShareIsRefusedNamingTheOwnerWhileOthersMayStillWait() {
    RunQueue queue = queue(1, 1, 64, 2);
    submit(queue, "alice");
    submit(queue, "alice");
    submit(queue, "alice");

    EngineError refused = catchThrowableOfType(EngineError.class, () -> queue.checkRoom("alice"));

    assertThat(refused.code()).isEqualTo(ErrorCode.QUEUE_FULL);
    assertThat(refused.getMessage()).startsWith("alice's share of the queue is full (2 waiting)");
    assertThat(refused.toJson().getString("owner")).isEqualTo("alice");
    assertThat(refused.toJson().getString("share")).isEqualTo("queuePerOwner");
    queue.checkRoom("bob");
  }

  @Test
  void theWholeQueueIsBoundedToo() {
    RunQueue queue = queue(1, 1, 2, 16);
    submit(queue, "alice");
    submit(queue, "alice");
    submit(queue, "bob");

    EngineError refused = catchThrowableOfType(EngineError.class, () -> queue.checkRoom("carol"));

    assertThat(refused.code()).isEqualTo(ErrorCode.QUEUE_FULL);
    assertThat(refused.toJson().getString("share")).isEqualTo("queueCapacity");
  }
}
