package io.isometry.supervisor;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The slots and the queue in front of them, shared fairly between owners: at most
 * {@code maxRunning} runs hold a slot, at most {@code maxRunningPerOwner} of one owner; each owner
 * waits in a FIFO line of its own (at most {@code queuePerOwner} long, all lines together at most
 * {@code queueCapacity}), and when a slot frees, the owners take turns (round-robin) among those
 * under their share. With a single owner this is one FIFO queue.
 *
 * <p>Every waiting record's {@code queuePosition} is kept current: its place in the order the
 * queue would start them, owners in turn. A new arrival is published at once; moves up are
 * published at most once per {@link #COALESCE_MS} (each start moves every waiting record, and
 * publishing them all each time would cost O(queue) events per start).
 */
final class RunQueue {

  static final long COALESCE_MS = 100;

  /** The shares, from the configuration. */
  record Shares(int maxRunning, int maxRunningPerOwner, int queueCapacity, int queuePerOwner) {
  }

  private final Shares shares;
  private final Consumer<ProcessRecord> publish;
  private final Coalescer moves;
  /** Waiting runs by owner; the map's order is the owners' turn order, the next first. */
  private final LinkedHashMap<String, ArrayDeque<ProcessRun>> waiting = new LinkedHashMap<>();
  private final Map<String, Integer> runningByOwner = new HashMap<>();
  private int running;
  private int queued;

  RunQueue(Shares shares, Timers timers, Consumer<ProcessRecord> publish) {
    this.shares = shares;
    this.publish = publish;
    this.moves = new Coalescer(timers, COALESCE_MS, this::publishMoves);
  }

  /** Refuses a new request of {@code owner} when it could neither start now nor wait: its share, or the queue, is full. */
  void checkRoom(String owner) {
    if (canStartNow(owner)) {
      return;
    }
    int ownersWaiting = waitingOf(owner);
    if (ownersWaiting >= shares.queuePerOwner()) {
      throw new EngineError(ErrorCode.QUEUE_FULL,
          owner + "'s share of the queue is full (" + ownersWaiting + " waiting); try again later",
          new JsonObject().put(Fields.OWNER, owner).put(Fields.SHARE, "queuePerOwner"));
    }
    if (queued >= shares.queueCapacity()) {
      throw new EngineError(ErrorCode.QUEUE_FULL,
          "the queue is full (" + queued + " waiting); try again later",
          new JsonObject().put(Fields.OWNER, owner).put(Fields.SHARE, "queueCapacity"));
    }
  }

  /** A slot is free, the owner is under its share of them, and nothing of its own waits before it. */
  boolean canStartNow(String owner) {
    return running < shares.maxRunning() && runningOf(owner) < shares.maxRunningPerOwner() && waitingOf(owner) == 0;
  }

  /** The run takes a slot. */
  void occupy(ProcessRun run) {
    running++;
    runningByOwner.merge(run.record.owner, 1, Integer::sum);
  }

  /** The run gives its slot back. */
  void vacate(ProcessRun run) {
    running--;
    runningByOwner.computeIfPresent(run.record.owner, (owner, count) -> count == 1 ? null : count - 1);
  }

  /** The run waits at the end of its owner's line. */
  void add(ProcessRun run) {
    waiting.computeIfAbsent(run.record.owner, owner -> new ArrayDeque<>()).add(run);
    queued++;
    renumber();
  }

  /**
   * The run gives its slot back and waits again at the head of its owner's line: its start could not
   * be recorded, so it did not start, and it keeps its turn.
   */
  void putBack(ProcessRun run) {
    vacate(run);
    waiting.computeIfAbsent(run.record.owner, owner -> new ArrayDeque<>()).addFirst(run);
    queued++;
    renumber();
  }

  /** Takes a run out of the queue (it ended while waiting); false when it was not waiting. */
  boolean remove(ProcessRun run) {
    ArrayDeque<ProcessRun> line = waiting.get(run.record.owner);
    if (line == null || !line.remove(run)) {
      return false;
    }
    if (line.isEmpty()) {
      waiting.remove(run.record.owner);
    }
    queued--;
    renumber();
    return true;
  }

  /**
   * The run whose turn it is, now that a slot may be free: the first of the first owner in turn
   * that is under its share; that owner's turn then passes to the end. Null when none may start.
   */
  ProcessRun next() {
    if (running >= shares.maxRunning()) {
      return null;
    }
    for (Iterator<Map.Entry<String, ArrayDeque<ProcessRun>>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, ArrayDeque<ProcessRun>> line = it.next();
      if (runningOf(line.getKey()) < shares.maxRunningPerOwner()) {
        ProcessRun run = line.getValue().poll();
        it.remove();
        if (!line.getValue().isEmpty()) {
          waiting.put(line.getKey(), line.getValue());
        }
        queued--;
        return run;
      }
    }
    return null;
  }

  int queued() {
    return queued;
  }

  /** Makes every waiting record's position current, after starts. */
  void renumber() {
    int position = 1;
    for (ProcessRun run : inTurn()) {
      ProcessRecord record = run.record;
      boolean arrived = record.queuePosition == null;
      record.queuePosition = position++;
      if (arrived) {
        record.publishedQueuePosition = record.queuePosition;
        publish.accept(record);
      }
    }
    moves.changed();
  }

  /** The waiting runs in the order the queue would start them: one of each owner in turn, round after round. */
  List<ProcessRun> inTurn() {
    List<ProcessRun> order = new ArrayList<>(queued);
    List<Iterator<ProcessRun>> lines = new ArrayList<>(waiting.size());
    waiting.values().forEach(line -> lines.add(line.iterator()));
    while (!lines.isEmpty()) {
      for (Iterator<Iterator<ProcessRun>> it = lines.iterator(); it.hasNext(); ) {
        Iterator<ProcessRun> line = it.next();
        order.add(line.next());
        if (!line.hasNext()) {
          it.remove();
        }
      }
    }
    return order;
  }

  private void publishMoves() {
    for (ProcessRun run : inTurn()) {
      ProcessRecord record = run.record;
      if (!Objects.equals(record.queuePosition, record.publishedQueuePosition)) {
        record.publishedQueuePosition = record.queuePosition;
        publish.accept(record);
      }
    }
  }

  private int runningOf(String owner) {
    return runningByOwner.getOrDefault(owner, 0);
  }

  private int waitingOf(String owner) {
    ArrayDeque<ProcessRun> line = waiting.get(owner);
    return line == null ? 0 : line.size();
  }
}
