package io.isometry.cli;

/** A failure the command-line client reports in one line and ends with {@code exitCode}. */
final class CliFailure extends RuntimeException {

  private final int exitCode;

  CliFailure(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
