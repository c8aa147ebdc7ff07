package io.isometry.supervisor;

import io.isometry.contract.Stream;
import io.isometry.os.Signal;
import io.isometry.os.WaitStatus;

/**
 * Signalling, draining and reaping of launched children: every signal to a live process goes
 * through here, with the launched handle (how a signal reaches a tree is the launcher's business:
 * its process group, or more). {@link OsChildren} on a real machine, a stand-in in unit tests.
 */
interface Children {

  /** Sends {@code signal} to the child's tree; never blocks. */
  void signal(ProcessLauncher.Launched child, Signal signal);

  /**
   * Drains the child's streams and waits for its exit, off the caller's thread; {@code watcher}
   * hears of it on any thread.
   */
  void watch(ProcessLauncher.Launched child, String processId, Watcher watcher);

  /** What a watched child does. */
  interface Watcher {

    /** A chunk of output; {@code consumed} must run once it has been handled. */
    void output(Stream stream, OutputChunk chunk, Runnable consumed);

    /** The stream is at its end (or broken): no more output on it. */
    void streamEnded(Stream stream);

    /**
     * The child was reaped: its status (null when it could not be waited for), the kernel's account
     * of its tree (null without cgroups), and when {@code waitpid} returned.
     */
    void exited(WaitStatus status, JobReport report, Stamp reaped);
  }
}
