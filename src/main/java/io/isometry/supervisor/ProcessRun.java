package io.isometry.supervisor;

import io.isometry.config.EngineConfig;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.contract.Stream;
import io.isometry.contract.TerminalSize;
import io.isometry.os.Signal;
import io.isometry.os.WaitStatus;
import io.isometry.validation.ExecutionPlan;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * One process from its admission to its end, owning its own lifecycle: where it is
 * ({@link Phase}), why the engine is ending it, its {@link RunTimers}, and the one place it ends
 * ({@link #conclude()}, by the rule of {@link TerminalState}). Touched only on the supervisor's context; what it hears
 * from its child comes back there through {@link RunContext#actor()}.
 */
final class ProcessRun {

  /** How long the pipes may stay open after the leader exits before the rest of its group is killed. */
  static final long DRAIN_GRACE_MS = 500;

  /** Where a run is; the record's state says running or suspended within {@code LIVE}. */
  enum Phase {
    /** Waiting for a slot. */
    QUEUED,
    /** Holds a slot; its spawn was asked for and has not answered. */
    STARTING,
    /** Its child runs (or is suspended). */
    LIVE,
    /** Its leader was reaped; its streams may still be draining. */
    EXITED,
    /** Its record is final. */
    FINISHED
  }

  /** What every run shares: the seams to time and the machine, the settings and the listener. */
  record RunContext(Timers timers, Children children, Clock clock, Executor actor,
                    EngineConfig.SupervisorSettings settings, RunListener listener) {
  }

  final ProcessRecord record;
  final ExecutionPlan plan;
  private final RunContext context;
  private Phase phase = Phase.QUEUED;
  /** When its spawn was asked for (the end of its wait in the queue). */
  private Instant spawnRequested;
  private ProcessLauncher.Launched launched;
  private boolean stdoutEnded;
  private boolean stderrEnded;
  private WaitStatus exitStatus;
  /** When {@code waitpid} returned its status, or null before (or when it never will). */
  private Stamp reaped;
  /** Set once the engine has decided to end the process, and why; the first reason wins. */
  private Reason ending;
  private final RunTimers timers;
  private final RunInput input;

  ProcessRun(ProcessRecord record, ExecutionPlan plan, RunContext context) {
    this.record = record;
    this.plan = plan;
    this.context = context;
    this.timers = new RunTimers(context.timers());
    this.input = new RunInput(record);
  }

  Phase phase() {
    return phase;
  }

  boolean finished() {
    return phase == Phase.FINISHED;
  }

  /** True once it has left the queue for a slot (also when it has ended since). */
  boolean tookSlot() {
    return spawnRequested != null;
  }

  Instant spawnRequested() {
    return spawnRequested;
  }

  /** The launched child, or null before the launch answered (or when it failed). */
  ProcessLauncher.Launched launched() {
    return launched;
  }

  // ---- the way in -------------------------------------------------------------------------------

  /** It leaves the queue for a slot; its spawn is asked for now. */
  void starting() {
    phase = Phase.STARTING;
    spawnRequested = context.clock().instant();
    record.queuePosition = null;
  }

  /**
   * Whether it may wait in the queue again because its start could not be recorded: it is starting
   * and nothing is ending it. Then it is queued again, as if it had never left the queue.
   */
  boolean waitsAgain() {
    if (phase != Phase.STARTING || ending != null) {
      return false;
    }
    phase = Phase.QUEUED;
    spawnRequested = null;
    return true;
  }

  void launched(ProcessLauncher.Launched child) {
    if (phase == Phase.FINISHED) {
      // Ended (the engine stopped) while it was being started: its tree goes at once, and its
      // record, already final, is not made running again.
      context.children().signal(child, Signal.KILL);
      RunInput.close(child);
      return;
    }
    launched = child;
    record.cgroup = child.job() == null ? null : child.job().name();
    record.pidStartTicks = child.startTicks() < 0 ? null : child.startTicks();
    record.pid = child.tree().pid();
    record.processGroup = child.tree().group();
    record.startedAt = child.spawned().at();
    record.state = ProcessState.RUNNING;
    phase = Phase.LIVE;
    input.attach(child);
    context.listener().running(this);
    context.children().watch(child, record.id, new OnActor());
    timers.start(RunTimers.Kind.TIMEOUT, record.timeoutMs, () -> terminate(Reason.TIMEOUT));
    if (record.background) {
      startBackgroundBudget();
    } else {
      timers.start(RunTimers.Kind.AUTO_BACKGROUND, context.settings().autoBackgroundAfterMs(), this::moveToBackground);
    }
    if (ending != null) {
      // The engine decided to end it while it was being started: now there is a tree to signal.
      Reason reason = ending;
      ending = null;
      terminate(reason);
    }
  }

  /**
   * Its start has committed in the journal: answers whether to spawn it now. One that the engine
   * ended while the mark was being written is concluded here instead, and never spawned.
   */
  boolean mayLaunch() {
    if (phase == Phase.FINISHED) {
      return false;
    }
    if (ending != null) {
      conclude();
      return false;
    }
    return true;
  }

  /** It could not be started: {@code failed} with {@code spawn_failed} and why, unless the engine was ending it anyway. */
  void launchFailed(String why) {
    if (phase == Phase.FINISHED) {
      return;
    }
    if (ending == null) {
      ending = Reason.SPAWN_FAILED;
      record.message = why;
    }
    conclude();
  }

  // ---- requests ---------------------------------------------------------------------------------

  void suspend() {
    stopOrContinue("suspend", ProcessState.RUNNING, ProcessState.SUSPENDED, Signal.STOP);
  }

  void resume() {
    stopOrContinue("resume", ProcessState.SUSPENDED, ProcessState.RUNNING, Signal.CONT);
  }

  /** Moves a live process from {@code from} to {@code to} by signalling its whole tree; never one that is ending. */
  private void stopOrContinue(String action, ProcessState from, ProcessState to, Signal signal) {
    if (phase != Phase.LIVE || record.state != from || ending != null) {
      throw invalidState(record, action);
    }
    record.state = to;
    context.children().signal(launched, signal);
    context.listener().changed(this);
  }

  /** Writes {@code bytes} to its stdin, then (with {@code eof}) ends it; never waits for the process to read. */
  void input(byte[] bytes, boolean eof) {
    input.write(bytes, eof);
  }

  /** Sets its terminal's window; one still waiting to start gets it at its start. */
  void resize(TerminalSize size) {
    input.resize(size, phase != Phase.QUEUED);
  }

  /** Moves it to the background (at once, or by its auto-background timer); once is enough. */
  void moveToBackground() {
    if (phase == Phase.FINISHED || record.background) {
      return;
    }
    record.background = true;
    timers.cancel(RunTimers.Kind.AUTO_BACKGROUND);
    if (launched != null) {
      startBackgroundBudget();
    }
    context.listener().changed(this);
  }

  /** The engine ends it: a queued one at once, a running one with SIGTERM, then SIGKILL after the grace period. */
  void terminate(Reason reason) {
    if (phase == Phase.FINISHED) {
      return;
    }
    if (phase == Phase.QUEUED) {
      ending = reason;
      conclude();
      return;
    }
    if (ending != null || phase == Phase.EXITED) {
      return;
    }
    ending = reason;
    if (phase == Phase.STARTING) {
      return;
    }
    signal(Signal.TERM);
    if (record.state == ProcessState.SUSPENDED) {
      // A stopped process cannot act on SIGTERM until it runs again.
      signal(Signal.CONT);
    }
    timers.start(RunTimers.Kind.GRACE, Math.max(1, context.settings().gracePeriodMs()), () -> signal(Signal.KILL));
  }

  /** The monitor saw its tree over its memory limit: it is killed at once, no grace period. */
  void memoryExceeded() {
    if (phase != Phase.LIVE || ending != null) {
      return;
    }
    ending = Reason.MEMORY_LIMIT;
    signal(Signal.KILL);
  }

  /** Shutdown ran out of patience: it is recorded as lost all the same, whatever it was ending for. */
  void forget() {
    ending = Reason.ENGINE_SHUTDOWN;
    conclude();
  }

  // ---- what its child does (on the actor) -------------------------------------------------------

  private void output(Stream stream, OutputChunk chunk) {
    if (phase == Phase.FINISHED) {
      return;
    }
    OutputTail tail = record.tail(stream);
    long offset = tail.total();
    tail.append(chunk.bytes());
    context.listener().output(this, stream, offset, chunk);
  }

  private void streamEnded(Stream stream) {
    if (stream == Stream.STDOUT) {
      stdoutEnded = true;
    } else {
      stderrEnded = true;
    }
    if (drained()) {
      conclude();
    }
  }

  private void exited(WaitStatus status, JobReport report, Stamp reapedAt) {
    if (phase == Phase.FINISHED) {
      // Forgotten at shutdown before its exit came: what is left of its tree goes too.
      signal(Signal.KILL);
      return;
    }
    phase = Phase.EXITED;
    exitStatus = status;
    // Its leader is gone: nothing it started is written to any more.
    input.close();
    reaped = reapedAt;
    if (status != null && !status.ran() && ending == null) {
      // Its sandbox failed before the command ran: nothing of it ran, and bubblewrap's stderr says why.
      ending = Reason.SPAWN_FAILED;
    }
    if (report != null) {
      record.memoryPeakBytes = report.peakBytes();
      if (report.oomKilled() && ending == null) {
        ending = Reason.MEMORY_LIMIT;
      }
    }
    if (ending != null) {
      // The engine ended it: nothing of its tree may outlive it.
      signal(Signal.KILL);
    }
    if (drained()) {
      conclude();
      return;
    }
    // Something in its group still holds the pipes: give it a moment, then end the group.
    timers.start(RunTimers.Kind.DRAIN, DRAIN_GRACE_MS, () -> {
      signal(Signal.KILL);
      timers.start(RunTimers.Kind.DRAIN, DRAIN_GRACE_MS, this::conclude);
    });
  }

  private boolean drained() {
    return phase == Phase.EXITED && stdoutEnded && stderrEnded;
  }

  // ---- the end ----------------------------------------------------------------------------------

  /** The one place a run ends: its terminal state is decided ({@link TerminalState}), its timers and stdin go. */
  private void conclude() {
    if (phase == Phase.FINISHED) {
      return;
    }
    TerminalState.decide(record, exitStatus, ending);
    phase = Phase.FINISHED;
    input.close();
    timers.cancelAll();
    if (reaped != null) {
      // It ended when waitpid said so, however long its streams took to drain or the actor to hear of it.
      record.endedAt = reaped.at();
      record.durationMs = launched.spawned().millisTo(reaped);
    } else {
      record.endedAt = context.clock().instant();
    }
    record.queuePosition = null;
    context.listener().ended(this);
  }

  private void startBackgroundBudget() {
    if (context.settings().backgroundPolicy() == EngineConfig.BackgroundPolicy.LIMITED) {
      timers.start(RunTimers.Kind.BACKGROUND_BUDGET, context.settings().backgroundBudgetMs(),
          () -> terminate(Reason.BACKGROUND_EXPIRED));
    }
  }

  private void signal(Signal signal) {
    context.children().signal(launched, signal);
  }

  static EngineError invalidState(ProcessRecord record, String action) {
    return new EngineError(ErrorCode.INVALID_STATE,
        "cannot " + action + " process " + record.id + ": it is " + record.state.wire(),
        new JsonObject().put(Fields.STATE, record.state.wire()));
  }

  /** Brings what the child's threads report onto the supervisor's context. */
  private final class OnActor implements Children.Watcher {

    @Override
    public void output(Stream stream, OutputChunk chunk, Runnable consumed) {
      context.actor().execute(() -> {
        try {
          ProcessRun.this.output(stream, chunk);
        } finally {
          consumed.run();
        }
      });
    }

    @Override
    public void streamEnded(Stream stream) {
      context.actor().execute(() -> ProcessRun.this.streamEnded(stream));
    }

    @Override
    public void exited(WaitStatus status, JobReport report, Stamp reaped) {
      context.actor().execute(() -> ProcessRun.this.exited(status, report, reaped));
    }
  }
}
