package io.isometry.validation;

/** Names of programs as the rules know them. */
final class ProgramNames {

  private ProgramNames() {
  }

  /** The last element of a path ({@code /usr/bin/tar} is {@code tar}); a bare name is itself. */
  static String baseName(String command) {
    int slash = command.lastIndexOf('/');
    return slash < 0 ? command : command.substring(slash + 1);
  }
}
