package io.isometry.supervisor;

import io.isometry.contract.Reason;
import io.isometry.os.CgroupV1Job;
import io.isometry.os.ChildProcess;
import io.isometry.os.WaitStatus;
import io.isometry.validation.ExecutionPlan;
import java.time.Instant;

/**
 * The supervisor's handle on a process that has not ended: its plan, the child once spawned, the
 * progress of its streams and its timers. Touched only on the supervisor's context.
 */
final class LiveProcess {

  static final long NO_TIMER = -1;

  final ProcessRecord record;
  final ExecutionPlan plan;
  /** True from the moment the spawn is asked for: it holds a slot from then on. */
  boolean started;
  /** When its spawn was asked for (the end of its wait in the queue). */
  Instant spawnRequested;
  ChildProcess child;
  /** How its tree is signalled and how its end is read; set with {@link #child}. */
  ProcessTree tree;
  /** The cgroups of its tree, when the kernel enforces its limits; null otherwise. */
  CgroupV1Job job;
  boolean stdoutEnded;
  boolean stderrEnded;
  /** True once the exit has been accounted for (with the cgroups' report, when there are cgroups). */
  boolean exited;
  WaitStatus exitStatus;
  boolean finished;
  /** Set once the engine has decided to end the process, and why; the first reason wins. */
  Reason ending;

  long timeoutTimer = NO_TIMER;
  long graceTimer = NO_TIMER;
  long autoBackgroundTimer = NO_TIMER;
  long budgetTimer = NO_TIMER;
  long drainTimer = NO_TIMER;

  LiveProcess(ProcessRecord record, ExecutionPlan plan) {
    this.record = record;
    this.plan = plan;
  }

  boolean spawned() {
    return child != null;
  }

  boolean drained() {
    return exited && stdoutEnded && stderrEnded;
  }
}
