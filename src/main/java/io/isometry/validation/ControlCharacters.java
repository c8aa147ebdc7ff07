package io.isometry.validation;

import java.util.Locale;

/**
 * The characters no request may carry in a command, an argument, a path or an environment value:
 * NUL and the other C0/C1 controls. Tab is the one exception, because people type it as
 * whitespace. They are refused rather than stripped, since a silently altered command is not the
 * command the user asked for.
 */
final class ControlCharacters {

  private ControlCharacters() {
  }

  static boolean isForbidden(char c) {
    return Character.isISOControl(c) && c != '\t';
  }

  /** The index of the first forbidden character in {@code text}, or -1. */
  static int firstForbidden(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isForbidden(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** {@code U+0000}: names the character without putting it into a message. */
  static String codePoint(char c) {
    return String.format(Locale.ROOT, "U+%04X", (int) c);
  }
}
