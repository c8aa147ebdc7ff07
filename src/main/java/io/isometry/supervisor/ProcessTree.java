package io.isometry.supervisor;

import io.isometry.os.CgroupJob;
import io.isometry.os.JobPool;
import io.isometry.os.Signal;
import io.isometry.os.WaitStatus;
import io.isometry.sandbox.SandboxExit;
import java.io.IOException;

/**
 * How the engine signals one launched tree and reads how it ended, confined or not.
 *
 * <p>Unconfined, the spawned child is the command itself, leader of its own session and process
 * group: every signal goes to that group, and its wait status is the command's.
 *
 * <p>In the sandbox, the spawned child is bubblewrap's monitor, alone in its group; the sandbox's pid
 * 1 and the command share the process group {@code sandboxGroup} (pid 1's host pid). SIGTERM, SIGSTOP
 * and SIGCONT go to that group: the command and what it started act on them, and pid 1 of a pid
 * namespace ignores a SIGTERM from outside. SIGKILL goes to both groups: killing the monitor ends
 * pid 1 ({@code --die-with-parent}), and the end of pid 1 ends every process of the namespace, also
 * one that left the group. Until the sandbox has made its session (the first milliseconds), its
 * group does not exist yet and the command has not run: a SIGTERM then ends the sandbox at once.
 *
 * <p>On a terminal, the command leads a session and process group of its own (whose id is its pid):
 * that is how it takes the terminal as its controlling one. In the sandbox, every signal but SIGKILL
 * then goes to that group too ({@code terminalGroup}), so that cancel, suspend and resume reach the
 * command as before; what the command itself moves to other groups (a job-control shell's jobs) is
 * reached by SIGKILL through pid 1, and by the cgroup job where there is one. Unconfined, the command's
 * own group is the tree's group as for any child; in the instant before it has made it, a signal goes
 * to the command alone.
 *
 * <p>Where the tree's cgroup job can do it in one kernel operation (cgroup v2), SIGKILL also kills the
 * whole job ({@code cgroup.kill}: a process that left the group and the namespace is not missed), and
 * SIGSTOP and SIGCONT freeze and thaw the job instead ({@code cgroup.freeze}: the tree cannot see it,
 * and a process that left the group is suspended too; should the write fail, the signal goes as it
 * would without a cgroup). Those cgroupfs writes run in order on the job pool's thread, never on the
 * caller's.
 */
final class ProcessTree {

  /** A tree's cgroup job and the pool whose thread runs its kills and freezes, in order. */
  record JobControl(CgroupJob job, JobPool pool) {
  }

  private final int leader;
  private final int sandboxGroup;
  private final int shown;
  private final JobControl control;
  /** The command's own group on a terminal in the sandbox, else -1. */
  private final int terminalGroup;

  private ProcessTree(int leader, int sandboxGroup, int shown, JobControl control, int terminalGroup) {
    this.leader = leader;
    this.sandboxGroup = sandboxGroup;
    this.shown = shown;
    this.control = control;
    this.terminalGroup = terminalGroup;
  }

  /** @param control its cgroup job, or null without one */
  static ProcessTree unconfined(int pid, JobControl control) {
    return new ProcessTree(pid, -1, pid, control, -1);
  }

  /**
   * As {@link #sandboxed}, for a command on a terminal (the leader of its own session and group).
   * Unconfined, pass a {@code sandboxGroup} of -1.
   */
  static ProcessTree onTerminal(int monitor, int sandboxGroup, int command, JobControl control) {
    if (sandboxGroup <= 0) {
      return new ProcessTree(monitor, -1, monitor, control, monitor);
    }
    return new ProcessTree(monitor, sandboxGroup, command, control, command == sandboxGroup ? -1 : command);
  }

  /**
   * @param sandboxGroup pid 1's host pid, or -1 when the sandbox never announced it (it failed)
   * @param command the command's host pid, or pid 1's when the command could not be seen
   */
  static ProcessTree sandboxed(int monitor, int sandboxGroup, int command, JobControl control) {
    return new ProcessTree(monitor, sandboxGroup, command, control, -1);
  }

  /** The spawned child: the one the engine waits for. */
  int leader() {
    return leader;
  }

  /**
   * The pid the record shows: the command's host pid (in the sandbox, pid 1's when the command ended
   * or failed before it could be seen).
   */
  int pid() {
    return shown;
  }

  /** The session and process group that hold the tree (the sandbox's pid 1 when confined). */
  int group() {
    return sandboxGroup > 0 ? sandboxGroup : leader;
  }

  /** Non-blocking (kill(2) calls; cgroupfs writes are handed to the job pool's thread): safe on an event loop. */
  void signal(Signal signal) {
    boolean freezing = control != null && control.job().freezes();
    if (freezing && (signal.equals(Signal.STOP) || signal.equals(Signal.CONT))) {
      boolean frozen = signal.equals(Signal.STOP);
      control.pool().control(control.job(), frozen ? "freeze" : "thaw", job -> {
        try {
          job.freeze(frozen);
        } catch (IOException e) {
          // A suspend the record shows must hold: by signal, then, and the failure is still logged.
          bySignal(signal);
          throw e;
        }
      });
      return;
    }
    // The signals first: they are immediate, and they go out even when the pool no longer takes work (shutdown).
    bySignal(signal);
    if (signal.equals(Signal.KILL) && control != null && control.job().killsAtOnce()) {
      control.pool().control(control.job(), "kill", CgroupJob::killAll);
    }
  }

  private void bySignal(Signal signal) {
    if (sandboxGroup <= 0) {
      if (!signal.sendToGroup(leader) && terminalGroup > 0) {
        // A terminal's command that has not made its session yet.
        signal.sendToProcess(leader);
      }
      return;
    }
    if (signal.equals(Signal.KILL)) {
      signal.sendToGroup(leader);
      signal.sendToGroup(sandboxGroup);
      return;
    }
    if (terminalGroup > 0) {
      signal.sendToGroup(terminalGroup);
    }
    if (!signal.sendToGroup(sandboxGroup) && signal.equals(Signal.TERM)) {
      Signal.KILL.sendToGroup(leader);
    }
  }

  /**
   * How the command ended, from the leader's wait status and, in the sandbox, what bubblewrap wrote
   * on its status descriptor. {@link WaitStatus#NOT_RUN} when the sandbox failed before it ran the
   * command and nothing killed it: there is no exit of the command to report.
   */
  WaitStatus exit(WaitStatus leaderStatus, String sandboxStatus) {
    if (sandboxStatus == null || leaderStatus == null || leaderStatus.signal() != null) {
      // Unconfined; or the monitor itself was killed (by the engine: the command went with it).
      return leaderStatus;
    }
    Integer code = SandboxExit.exitCode(sandboxStatus);
    if (code == null) {
      return WaitStatus.NOT_RUN;
    }
    int signal = SandboxExit.signalOf(code);
    return signal == 0 ? new WaitStatus(code, null) : new WaitStatus(null, new Signal(signal));
  }
}
