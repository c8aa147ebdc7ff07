package io.isometry.supervisor;

import io.isometry.os.CgroupJob;
import io.isometry.os.ChildStdin;
import io.isometry.validation.ExecutionPlan;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Starts validated plans; {@link ProcessLauncher} on a real machine, a stand-in in unit tests. */
interface Launcher {

  /**
   * Starts the plan under {@code memoryBytes}, with {@code stdin} as its standard input, off the
   * caller's thread, once {@code go} completes true. Until then it may prepare the start (a sandbox set
   * up and held), but the command never runs. When {@code go} completes false, or fails, what was
   * prepared is undone (a held sandbox killed and reaped) and the future fails: it succeeds only after a
   * true {@code go}. It may fail early, before {@code go} is decided. The future completes on any thread.
   */
  CompletableFuture<ProcessLauncher.Launched> launch(ExecutionPlan plan, long memoryBytes, ChildStdin stdin,
                                                     CompletableFuture<Boolean> go);

  /**
   * The cgroup jobs of the starts under way (taken for a run whose launch has not completed): no
   * record names them yet, and they are no orphans. Any thread.
   */
  Set<String> startingJobs();

  /** Lets the cgroups of an ended tree go. */
  void release(CgroupJob job);
}
