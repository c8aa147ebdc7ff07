package io.isometry.supervisor;

import io.isometry.contract.Stream;
import io.isometry.os.CgroupJob;
import io.isometry.os.Reaper;
import io.isometry.os.Signal;
import io.isometry.os.WaitStatus;
import io.isometry.sandbox.StatusPipe;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Children on a real machine: signals go to the child's tree as {@link ProcessTree} says (its process
 * group, or its sandbox's), with kill(2), and a pool of threads drains each stream and waits for
 * (reaps) each child, blocking as it must, off the event loop.
 */
final class OsChildren implements Children {

  private static final Logger LOG = LoggerFactory.getLogger(OsChildren.class);
  private final ExecutorService pumps;

  OsChildren(ExecutorService pumps) {
    this.pumps = pumps;
  }

  @Override
  public void signal(ProcessLauncher.Launched child, Signal signal) {
    try {
      child.tree().signal(signal);
    } catch (RuntimeException e) {
      LOG.error("Could not send {} to the tree of pid {}: {}", signal.name(), child.tree().pid(), e.getMessage());
    }
  }

  @Override
  public void watch(ProcessLauncher.Launched child, String processId, Watcher watcher) {
    try {
      pump(child.child().stdout(), Stream.STDOUT, watcher);
      if (child.child().stderr() == null) {
        // On a terminal everything comes on one stream.
        watcher.streamEnded(Stream.STDERR);
      } else {
        pump(child.child().stderr(), Stream.STDERR, watcher);
      }
      reap(child, processId, watcher);
    } catch (RejectedExecutionException engineStopping) {
      // Only while the engine stops: the shutdown kills the group, and nobody is left to read.
      signal(child, Signal.KILL);
      watcher.streamEnded(Stream.STDOUT);
      watcher.streamEnded(Stream.STDERR);
    }
  }

  private void pump(InputStream in, Stream stream, Watcher watcher) {
    OutputPump[] self = new OutputPump[1];
    self[0] = new OutputPump(in, chunk -> watcher.output(stream, chunk, self[0]::consumed),
        () -> watcher.streamEnded(stream));
    pumps.execute(self[0]);
  }

  /**
   * Waits for the child (and reaps it), reads how its command ended (in the sandbox, from the status
   * pipe too), then the kernel's account of its tree when it has cgroups.
   */
  private void reap(ProcessLauncher.Launched child, String processId, Watcher watcher) {
    ProcessTree tree = child.tree();
    int pid = tree.leader();
    InputStream sandboxStatus = child.child().status();
    CgroupJob job = child.job();
    pumps.execute(() -> {
      WaitStatus status;
      Stamp reaped;
      try {
        WaitStatus leader = Reaper.await(pid);
        // Stamped here, as waitpid returns: the actor may be busy, and the end is when the child ended.
        reaped = Stamp.now();
        status = tree.exit(leader, sandboxStatus == null ? null : StatusPipe.rest(sandboxStatus));
      } catch (RuntimeException | IOException e) {
        // Never lose a record: a child we cannot wait for is recorded as ended, how unknown.
        LOG.error("Could not wait for {} (pid {}): {}", processId, pid, e.getMessage());
        status = null;
        reaped = Stamp.now();
      }
      watcher.exited(status, job == null ? null : JobReport.readQuietly(job, processId), reaped);
    });
  }
}
