package io.isometry.os;

/**
 * How a child ended, decoded from its {@code waitpid} status: an exit code, or the signal that
 * killed it (exact, unlike the {@code 128 + N} a shell or the JDK folds it into).
 */
public record WaitStatus(Integer exitCode, Signal signal) {

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
