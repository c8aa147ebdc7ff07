package io.isometry.validation;

import java.util.List;

/**
 * A command's argv as its program reads it: every word that matters with its role, and what the
 * rules refuse outright. Built by {@link ArgumentReader}; judged by the rules.
 *
 * @param program the rules of the program, or null when the rules have none
 */
record CommandLine(ProgramSpec program, List<Argument> arguments, List<Finding> findings) {

  static final CommandLine EMPTY = new CommandLine(null, List.of(), List.of());

  CommandLine {
    arguments = List.copyOf(arguments);
    findings = List.copyOf(findings);
  }
}
