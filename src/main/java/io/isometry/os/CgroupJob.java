package io.isometry.os;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The cgroups of one process tree, in whichever hierarchies serve it: cgroup v1 ({@link CgroupV1Job}),
 * the unified hierarchy ({@link CgroupV2Job}), or both on a hybrid machine ({@link HybridJob}). A
 * tree is put into them before its command's first instruction: a sandbox's processes are moved in
 * by pid ({@link #place(int)}) while the sandbox is held before it forks the command; an unconfined
 * child, which nothing holds, is born in a v1 job, the spawner thread standing in it while it spawns
 * ({@link #threadPlacement()}). A v2 cgroup takes whole processes only, so a v2 job has no thread
 * placement and takes sandboxes only. Every method but {@link #name()} is blocking (cgroupfs): call them off
 * the event loop.
 */
public interface CgroupJob {

  /** The job's name: the same in every hierarchy. */
  String name();

  /** Where the spawner thread stands while it spawns into the job (v1), or null. */
  ThreadPlacement threadPlacement();

  /** True when the tree's processes can only be moved in by pid (v2): an unconfined child cannot be placed. */
  boolean placesProcesses();

  /** Moves process {@code pid} (all its threads) into the job. */
  void place(int pid) throws IOException;

  /** Sets the memory limit unless it is already in force; reads it back. */
  void limitMemory(long memoryBytes, long maxProcesses) throws IOException;

  /** False when an emptied job cannot be made like new (its peak cannot be reset): it is removed instead. */
  boolean reusable();

  /** Readies an emptied job for its next tree (peak, OOM baseline, not frozen). */
  void resetForReuse() throws IOException;

  /** How many times the kernel's OOM killer struck inside this job since its current tree began. */
  long oomKills() throws IOException;

  /** The most memory the job ever used, as the kernel counted it. */
  long peakBytes() throws IOException;

  /** The processes in the job now. */
  List<Integer> members() throws IOException;

  /** True while a spawn into the job is under way. */
  boolean spawning() throws IOException;

  /**
   * Waits, polling every 10 ms for at most {@code patience}, until no process is left in the job: a
   * tree that was just killed takes a moment to leave its cgroup. Answers whether it is empty. Blocking.
   */
  default boolean awaitEmpty(Duration patience) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!members().isEmpty()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Kills every process in the job, also ones that left the process group; answers how many. */
  int killAll() throws IOException;

  /** True when {@link #killAll()} is one atomic kernel operation ({@code cgroup.kill}), cheap enough for every SIGKILL. */
  boolean killsAtOnce();

  /** True when the job can freeze its tree ({@code cgroup.freeze}), for suspend and resume. */
  boolean freezes();

  /** Freezes or thaws every process in the job. */
  void freeze(boolean frozen) throws IOException;

  /** Removes the job's cgroups; answers false while processes are still in them. */
  boolean remove();
}
