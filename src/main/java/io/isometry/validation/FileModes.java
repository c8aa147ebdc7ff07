package io.isometry.validation;

import java.util.Locale;
import java.util.Set;

/**
 * Reads file modes and owners the way chmod, mkdir -m and chown do, to tell whether they hand out
 * privileges: a mode that sets the setuid or setgid bit in any notation ({@code 4755},
 * {@code 02755}, {@code +s}, {@code u+s}, {@code g=rwxs}, {@code a+rs,o-w}), an owner or group
 * that is a privileged account ({@code root}, {@code 0}, {@code :wheel}).
 */
final class FileModes {

  enum Verdict { PLAIN, SETS_ID, UNREADABLE }

  /**
   * Accounts and groups whose ownership is itself a privilege. One set for both: chgrp takes a
   * group where chown takes a user, and a name in either place is refused (fail closed).
   */
  private static final Set<String> PRIVILEGED = Set.of("root", "0", "toor", "wheel", "sudo", "admin", "adm",
      "shadow", "disk", "kmem", "docker", "lxd", "libvirt", "staff");

  private FileModes() {
  }

  /** What {@code mode} does: sets an id bit, does not, or is no mode chmod would take. */
  static Verdict judgeMode(String mode) {
    if (!mode.isEmpty() && isOctal(mode)) {
      if (mode.length() > 8) {
        return Verdict.UNREADABLE;
      }
      return (Integer.parseInt(mode, 8) & 06000) != 0 ? Verdict.SETS_ID : Verdict.PLAIN;
    }
    return symbolic(mode);
  }

  /** True for a symbolic mode ({@code -x}, {@code u+s,go-w}): chmod takes one where an option could be. */
  static boolean isSymbolic(String word) {
    return symbolic(word) != Verdict.UNREADABLE;
  }

  /** True when {@code owner} ({@code user}, {@code user:group}, {@code user.group}, {@code :group}, a group alone for chgrp) is privileged. */
  static boolean privilegedOwner(String owner) {
    int colon = owner.indexOf(':');
    if (colon < 0) {
      colon = owner.indexOf('.');
    }
    String user = (colon < 0 ? owner : owner.substring(0, colon)).toLowerCase(Locale.ROOT);
    String group = colon < 0 ? "" : owner.substring(colon + 1).toLowerCase(Locale.ROOT);
    return PRIVILEGED.contains(stripZeros(user)) || PRIVILEGED.contains(stripZeros(group));
  }

  /** {@code 000} is uid 0 as much as {@code 0} is. */
  private static String stripZeros(String id) {
    if (!id.isEmpty() && id.chars().allMatch(c -> c == '0')) {
      return "0";
    }
    return id;
  }

  private static boolean isOctal(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }

  /** GNU chmod's grammar: clauses {@code [ugoa]*([-+=]([rwxXst]*|[ugo]))+} joined by commas. */
  private static Verdict symbolic(String mode) {
    if (mode.isEmpty()) {
      return Verdict.UNREADABLE;
    }
    boolean setsId = false;
    for (String clause : mode.split(",", -1)) {
      int i = 0;
      while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
        i++;
      }
      if (i == clause.length()) {
        return Verdict.UNREADABLE;
      }
      while (i < clause.length()) {
        char operator = clause.charAt(i++);
        if ("+-=".indexOf(operator) < 0) {
          return Verdict.UNREADABLE;
        }
        if (i < clause.length() && "ugo".indexOf(clause.charAt(i)) >= 0) {
          i++; // copies permissions of u, g or o: never the id bits
          continue;
        }
        while (i < clause.length() && "rwxXst".indexOf(clause.charAt(i)) >= 0) {
          if (clause.charAt(i) == 's' && operator != '-') {
            setsId = true;
          }
          i++;
        }
      }
    }
    return setsId ? Verdict.SETS_ID : Verdict.PLAIN;
  }
}
