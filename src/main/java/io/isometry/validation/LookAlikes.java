package io.isometry.validation;

import java.text.Normalizer;

/**
 * Characters that Unicode compatibility normalisation (NFKC) turns into shell syntax or path
 * syntax: the fullwidth semicolon {@code ；} becomes {@code ;}, the small ampersand {@code ﹠}
 * becomes {@code &}, the fullwidth full stop {@code ．} becomes {@code .}. Nothing here runs a shell,
 * but a program further down the line may normalise its input, so such a character is judged as the
 * character it stands for.
 *
 * <p>The tables are computed once from the JDK's normaliser for the whole Basic Multilingual Plane
 * (where every such compatibility form lives), so they follow Unicode rather than a hand-made list;
 * a few slashes that NFKC leaves alone but every reader takes for one are added by hand.
 */
final class LookAlikes {

  /** The shell characters a look-alike can stand for. */
  private static final String SHELL = ";&|<>()$`\n";
  /** The path characters a look-alike can stand for. */
  private static final String PATH = "./\\";
  private static final char[] SHELL_EQUIVALENT = new char[0x10000];
  private static final char[] PATH_EQUIVALENT = new char[0x10000];

  static {
    for (int c = 0x80; c < 0x10000; c++) {
      if (Character.isSurrogate((char) c)) {
        continue;
      }
      String normal = Normalizer.normalize(String.valueOf((char) c), Normalizer.Form.NFKC);
      SHELL_EQUIVALENT[c] = firstOf(normal, SHELL);
      PATH_EQUIVALENT[c] = firstOf(normal, PATH);
    }
    // DIVISION SLASH, FRACTION SLASH, BIG SOLIDUS, REVERSE SOLIDUS OPERATOR, BIG REVERSE SOLIDUS:
    // not compatibility forms, but slashes to the eye.
    PATH_EQUIVALENT[0x2215] = '/';
    PATH_EQUIVALENT[0x2044] = '/';
    PATH_EQUIVALENT[0x29F8] = '/';
    PATH_EQUIVALENT[0x29F5] = '\\';
    PATH_EQUIVALENT[0x29F9] = '\\';
  }

  private LookAlikes() {
  }

  /** The shell character {@code c} normalises to (for a non-ASCII {@code c}), or 0. */
  static char shellEquivalent(char c) {
    return c < 0x80 ? 0 : SHELL_EQUIVALENT[c];
  }

  /** The path character {@code c} normalises to (for a non-ASCII {@code c}), or 0. */
  static char pathEquivalent(char c) {
    return c < 0x80 ? 0 : PATH_EQUIVALENT[c];
  }

  /** The shell character a supplementary code point normalises to, or 0 (rare: computed on demand). */
  static char shellEquivalent(int codePoint) {
    if (codePoint < 0x10000) {
      return shellEquivalent((char) codePoint);
    }
    return firstOf(Normalizer.normalize(new String(Character.toChars(codePoint)), Normalizer.Form.NFKC), SHELL);
  }

  private static char firstOf(String text, String wanted) {
    for (int i = 0; i < text.length(); i++) {
      if (wanted.indexOf(text.charAt(i)) >= 0) {
        return text.charAt(i);
      }
    }
    return 0;
  }
}
