package io.isometry.os;

import com.sun.jna.LastErrorException;

/** A signal, by its Linux number (the same on x86_64 and arm64). */
public record Signal(int number) {

  public static final Signal KILL = new Signal(9);
  public static final Signal TERM = new Signal(15);
  public static final Signal CONT = new Signal(18);
  public static final Signal STOP = new Signal(19);

  private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
      "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
      "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

  static Signal of(int number) {
    return new Signal(number);
  }

  /** {@code SIGKILL}, ..., or {@code SIGRTMIN+n} style numbers as {@code SIG34}. */
  public String name() {
    return number > 0 && number < NAMES.length ? NAMES[number] : "SIG" + number;
  }

  /** Sends this signal to one process; answers false when it is gone. */
  public boolean sendToProcess(int pid) {
    if (pid <= 1) {
      throw new IllegalArgumentException("not a child: " + pid);
    }
    try {
      LibC.kill(pid, number);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == LibC.ESRCH) {
        return false;
      }
      throw new IllegalStateException("kill(" + pid + ", " + name() + "): " + LibC.describe(e.getErrorCode()), e);
    }
  }

  /**
   * Sends this signal to the whole process group {@code pgid}. Answers false when the group has no
   * member left. A single non-blocking system call: safe on an event loop.
   */
  public boolean sendToGroup(int pgid) {
    // kill(-1) and kill(0) would reach every process the engine may signal, or the engine's own group.
    if (pgid <= 1) {
      throw new IllegalArgumentException("not a child's process group: " + pgid);
    }
    try {
      LibC.kill(-pgid, number);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == LibC.ESRCH) {
        return false;
      }
      throw new IllegalStateException("kill(-" + pgid + ", " + name() + "): " + LibC.describe(e.getErrorCode()), e);
    }
  }
}
