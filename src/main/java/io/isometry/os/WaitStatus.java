package io.isometry.os;

/**
 * How a child ended, decoded from its {@code waitpid} status: an exit code, or the signal that
 * killed it (exact, unlike the {@code 128 + N} a shell or the JDK folds it into).
 */
public record WaitStatus(Integer exitCode, Signal signal) {

  /** The command never ran: its sandbox failed to set up (bubblewrap said why on stderr). */
  public static final WaitStatus NOT_RUN = new WaitStatus(null, null);

  public boolean ran() {
    return exitCode != null || signal != null;
  }

  static WaitStatus of(int status) {
    int termination = status & 0x7F;
    if (termination == 0) {
      return new WaitStatus((status >> 8) & 0xFF, null);
    }
    return new WaitStatus(null, Signal.of(termination));
  }

  public boolean succeeded() {
    return exitCode != null && exitCode == 0;
  }
}
