package io.isometry.supervisor;

/**
 * How a child ended, from the status the JDK reports. The JDK folds "killed by signal N" into
 * {@code 128 + N}, as shells do, so statuses 129 to 159 are read as signals; a program that exits
 * with such a code by itself is reported the same way (the kernel's distinction is gone by then).
 */
record ExitStatus(Integer exitCode, String signal) {

  private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
      "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
      "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

  static ExitStatus of(int status) {
    int signal = status - 128;
    if (signal > 0 && signal < NAMES.length) {
      return new ExitStatus(null, NAMES[signal]);
    }
    return new ExitStatus(status, null);
  }

  boolean succeeded() {
    return exitCode != null && exitCode == 0;
  }
}
