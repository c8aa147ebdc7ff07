package io.isometry.validation;

import java.util.List;

/**
 * A command string split into words. When {@code violations} is not empty the argv is only as far
 * as the parser got, good for further diagnosis but never for running.
 */
public record ParsedCommand(List<String> argv, List<Violation> violations) {

  public ParsedCommand {
    argv = List.copyOf(argv);
    violations = List.copyOf(violations);
  }

  public boolean ok() {
    return violations.isEmpty();
  }
}
