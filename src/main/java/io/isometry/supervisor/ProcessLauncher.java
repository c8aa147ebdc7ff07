package io.isometry.supervisor;

import io.isometry.os.CgroupV1Job;
import io.isometry.os.ChildProcess;
import io.isometry.os.JobPool;
import io.isometry.os.PosixSpawner;
import io.isometry.os.ProcStat;
import io.isometry.validation.ExecutionPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a validated plan in the workspace, under the limits the machine can enforce from before
 * the command's first instruction: born inside its own cgroups (v1), or through util-linux
 * {@code prlimit} that sets its rlimits and then execs it. The environment is the plan's, built from
 * scratch, so the engine's own environment and its secrets never reach a child. Everything runs on
 * the spawner thread; the caller gets a future.
 */
final class ProcessLauncher implements Launcher, AutoCloseable {

  /**
   * A started child, its start time in clock ticks since boot (to find it again after a crash; -1
   * if it ended before it could be read), and the cgroups that hold its tree (null without cgroup
   * enforcement).
   */
  record Launched(ChildProcess child, long startTicks, CgroupV1Job job) {
  }

  private final PosixSpawner spawner = new PosixSpawner();
  private final Path workspace;
  private final Enforcement enforcement;
  private final long maxProcesses;
  private final JobPool jobs;

  /**
   * @param readyJobs how many cgroup jobs to keep ready (about the number of processes that may start at once)
   */
  ProcessLauncher(Path workspace, Enforcement enforcement, long defaultMemoryBytes, long maxProcesses, int readyJobs) {
    this.workspace = workspace;
    this.enforcement = enforcement;
    this.maxProcesses = maxProcesses;
    this.jobs = enforcement.cgroups == null ? null
        : new JobPool(enforcement.cgroups, defaultMemoryBytes, maxProcesses, readyJobs);
  }

  @Override
  public CompletableFuture<Launched> launch(ExecutionPlan plan, long memoryBytes) {
    Path cwd = workspace.resolve(plan.cwd()).toAbsolutePath().normalize();
    List<String> argv = enforcement.mode == Enforcement.Mode.RLIMIT ? underRlimits(plan.argv(), memoryBytes) : plan.argv();
    CgroupV1Job[] job = new CgroupV1Job[1];
    return enforcement.spawner.submit(
            () -> job[0] = jobs == null ? null : jobs.take(memoryBytes),
            () -> {
              ChildProcess child = spawner.spawn(argv, cwd, plan.env());
              ProcStat stat = ProcStat.of(child.pid());
              return new Launched(child, stat == null ? -1 : stat.startTime(), job[0]);
            })
        .whenComplete((launched, failure) -> {
          if (failure != null && job[0] != null) {
            jobs.release(job[0]);
          }
        });
  }

  /** Lets the cgroups of an ended tree go (they stay while an escaped process is still in them). */
  @Override
  public void release(CgroupV1Job job) {
    jobs.release(job);
  }

  /**
   * {@code prlimit} sets the limits on itself and execs the command, so they hold from its first
   * instruction. The address-space limit is stricter than a resident-memory limit (reserved but
   * untouched memory counts), which is the price of having no cgroup.
   */
  private List<String> underRlimits(List<String> argv, long memoryBytes) {
    List<String> wrapped = new ArrayList<>(argv.size() + 5);
    wrapped.add(enforcement.prlimit);
    wrapped.add("--as=" + memoryBytes);
    wrapped.add("--nproc=" + maxProcesses);
    wrapped.add("--");
    wrapped.addAll(argv);
    return wrapped;
  }

  @Override
  public void close() {
    if (jobs != null) {
      jobs.close();
    }
  }
}
