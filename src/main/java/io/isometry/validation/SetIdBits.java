package io.isometry.validation;

import io.isometry.os.FileModeBits;

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
    if (executable.indexOf('\0') >= 0) {
      return true;
    }
    int mode = FileModeBits.of(executable);
    return mode < 0 || (mode & SET_ID) != 0;
  }
}
