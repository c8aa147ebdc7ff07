package io.isometry.supervisor;

import io.isometry.os.CgroupJob;
import io.isometry.os.ChildStdin;
import io.isometry.validation.ExecutionPlan;
import java.util.concurrent.CompletableFuture;

/** Starts validated plans; {@link ProcessLauncher} on a real machine, a stand-in in unit tests. */
interface Launcher {

  /**
   * Starts the plan under {@code memoryBytes}, with {@code stdin} as its standard input, off the
   * caller's thread; the future completes on any thread.
   */
  CompletableFuture<ProcessLauncher.Launched> launch(ExecutionPlan plan, long memoryBytes, ChildStdin stdin);

  /** Lets the cgroups of an ended tree go. */
  void release(CgroupJob job);
}
