package io.isometry.validation;

import java.util.Locale;

/**
 * Text that is not what the user typed, or not what a reader sees: refused wherever a request
 * carries text the engine passes on (command, argv, cwd, environment).
 *
 * <ul>
 *   <li>A lone surrogate: JSON can carry one ({@code "\ud800"}), UTF-8 cannot; a program would get
 *       bytes that are not UTF-8 at all.</li>
 *   <li>U+FFFD, the replacement character: a decoder met invalid UTF-8 on the way here and
 *       replaced it, so the text is no longer the client's.</li>
 *   <li>Noncharacters (U+FFFE, U+FFFF, U+FDD0..U+FDEF, and the last two of every plane).</li>
 *   <li>Bidirectional controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C): they make
 *       an audit log show a different command than the one that ran ("Trojan Source").</li>
 *   <li>U+2028 and U+2029, line and paragraph separators: newlines to some readers.</li>
 * </ul>
 */
final class UnicodeText {

  private UnicodeText() {
  }

  /** The index of the first refused character in {@code text}, or -1. */
  static int firstRefused(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, text.charAt(i + 1));
        if ((codePoint & 0xFFFE) == 0xFFFE) {
          return i;
        }
        i++;
      } else if (isRefused(c)) {
        return i;
      }
    }
    return -1;
  }

  /** True for a BMP character (a lone surrogate included) that {@link #firstRefused} refuses. */
  static boolean isRefused(char c) {
    return c >= 0x80 && (Character.isSurrogate(c)
        || c == 0xFFFD || c == 0xFFFE || c == 0xFFFF || (c >= 0xFDD0 && c <= 0xFDEF)
        || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200E || c == 0x200F || c == 0x061C
        || c == 0x2028 || c == 0x2029);
  }

  /** {@code U+D800}: names the character without putting it into a message. */
  static String codePoint(char c) {
    return String.format(Locale.ROOT, "U+%04X", (int) c);
  }
}
