package io.isometry.supervisor;

import io.isometry.cluster.ProcessNode;
import io.isometry.config.EngineConfig;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.SubmitRequest;
import io.isometry.validation.ExecutionPlan;
import java.time.Clock;
import java.time.Instant;

/**
 * Whether a request may be taken, and its record when it is. It is refused while the engine stops
 * or the journal cannot write, over the memory maximum, or without room in the queue; otherwise it
 * gets an id, the defaults it left out, and its idempotency key is remembered. Owned by the
 * supervisor actor.
 */
final class Admission {

  private final EngineConfig config;
  private final String node;
  private final Clock clock;
  private final RunQueue queue;
  private final ProcessIds ids = new ProcessIds();
  private final IdempotencyKeys keys = new IdempotencyKeys();
  private boolean stopping;
  /** Why the journal cannot write now, or null: new requests are refused meanwhile, running ones go on. */
  private String journalDegraded;

  Admission(EngineConfig config, String node, Clock clock, RunQueue queue) {
    this.config = config;
    this.node = node;
    this.clock = clock;
    this.queue = queue;
  }

  /** Refuses when the request of {@code owner} could not be taken now. */
  void check(SubmitRequest request, String owner) {
    if (stopping) {
      throw new EngineError(ErrorCode.UNAVAILABLE, "the engine is shutting down");
    }
    if (journalDegraded != null) {
      throw new EngineError(ErrorCode.UNAVAILABLE, journalDegraded + "; new requests are refused until it writes again");
    }
    long maxMemory = config.limits().memoryBytes();
    if (request.memoryLimitBytes() != null && request.memoryLimitBytes() > maxMemory) {
      throw new EngineError(ErrorCode.INVALID_REQUEST,
          "'memoryLimitBytes' is over the server maximum of " + maxMemory + " bytes");
    }
    queue.checkRoom(owner);
  }

  /** Checks a validated request again (time has passed) and makes its record. */
  ProcessRecord record(SubmitRequest request, ExecutionPlan plan, String owner, String clientId) {
    check(request, owner);
    EngineConfig.SupervisorSettings settings = config.supervisor();
    Instant now = clock.instant();
    // A clustered node's ids name it, so that any node sends a request about the process here.
    String id = ProcessNode.id(ids.next(now.toEpochMilli()), config.cluster().enabled() ? node : null);
    ProcessRecord record = new ProcessRecord(id, node, owner, clientId,
        request.displayCommand(), plan.argv(), plan.cwd(), request.label(),
        request.timeoutMs() != null ? request.timeoutMs() : settings.defaultTimeoutMs(),
        request.memoryLimitBytes() != null ? request.memoryLimitBytes() : config.limits().memoryBytes(),
        now, settings.outputRetainBytes());
    record.background = request.background();
    record.stdin = request.stdin();
    record.tty = request.tty();
    record.idempotencyKey = request.idempotencyKey();
    if (record.idempotencyKey != null) {
      keys.remember(owner, record.idempotencyKey, record.id, now);
    }
    return record;
  }

  /**
   * The id of {@code owner}'s first request with {@code key} this engine took within the window, or
   * null (the journal knows those of earlier runs).
   */
  String keyed(String owner, String key) {
    return keys.first(owner, key, clock.instant());
  }

  /** A request that never ran and whose client heard 503: a retry with the same key may run it. */
  void withdrawn(ProcessRecord record) {
    if (record.idempotencyKey != null) {
      keys.forget(record.owner, record.idempotencyKey, record.id);
    }
  }

  /** Forgets the idempotency keys whose window has closed. */
  void evictKeys() {
    keys.evict(clock.instant());
  }

  /** The engine is shutting down: nothing new is taken any more. */
  void stop() {
    stopping = true;
  }

  boolean stopping() {
    return stopping;
  }

  /** {@code degradedBecause} while the journal cannot write, null once it can. */
  void journalHealth(String degradedBecause) {
    journalDegraded = degradedBecause;
  }

  /** Whether queued runs may start: not once the engine stops, nor while no start could be marked in the journal. */
  boolean queueMoves() {
    return !stopping && journalDegraded == null;
  }
}
