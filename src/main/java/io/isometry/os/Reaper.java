package io.isometry.os;

import com.sun.jna.LastErrorException;

/** Waits for a child of the engine to end and reaps it, so that no zombie is left behind. */
public final class Reaper {

  private Reaper() {
  }

  /** Blocks until child {@code pid} has ended; answers how. */
  public static WaitStatus await(int pid) {
    int[] status = new int[1];
    while (true) {
      try {
        LibC.waitpid(pid, status, 0);
        return WaitStatus.of(status[0]);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != LibC.EINTR) {
          throw new IllegalStateException("waitpid(" + pid + "): " + LibC.describe(e.getErrorCode()), e);
        }
      }
    }
  }
}
