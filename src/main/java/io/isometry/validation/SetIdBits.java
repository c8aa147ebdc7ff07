package io.isometry.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an executable carries the setuid or setgid bit. One stat (following links, as exec
 * does): cheap enough to ask on every request, so a bit set after the engine started is seen.
 */
final class SetIdBits {

  private static final int SET_ID = 06000;

  private SetIdBits() {
  }

  /** True when {@code executable} has either bit, or cannot be examined (fail closed). */
  static boolean isSetId(String executable) {
    try {
      Object mode = Files.getAttribute(Path.of(executable), "unix:mode");
      return !(mode instanceof Integer bits) || (bits & SET_ID) != 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return true;
    }
  }
}
