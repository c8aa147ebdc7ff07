package io.isometry.validation;

import io.isometry.os.SymbolicLinks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where a word that names a file lands, judged for one request: relative words are taken from the
 * working directory, then the path is normalised (its {@code ..} steps) and, separately,
 * canonicalised the way the kernel will follow it (symbolic links of the existing part resolved
 * first, then {@code ..}), and both must stay inside the real workspace root.
 *
 * <p>A word is refused before any of that when it is spelled to hide what it is: {@code ~} (a
 * home directory to many programs), backslashes, percent-encoded dots, slashes, percent signs
 * and non-ASCII bytes ({@code %2e%2e}, {@code %c0%ae}, {@code %252e}), and Unicode look-alikes of
 * dots and slashes ({@code ．／＼}). {@code /dev/null} is the one path outside that is allowed.
 *
 * <p>Touches the file system (one walk per word, remembered for the request: {@link RealPaths}); built
 * per request, not shared (not thread-safe).
 */
final class PathJudge {

  enum Verdict {
    INSIDE,
    /** {@code ..} steps lead out: path_traversal. */
    DOTS,
    /** An absolute path outside: unauthorized_file_access. */
    ABSOLUTE,
    /** An absolute path in a system directory: unauthorized_file_access. */
    SYSTEM,
    /** A home directory ({@code ~}): unauthorized_file_access. */
    HOME,
    /** Inside by name, outside through a symbolic link: unauthorized_file_access. */
    LINK,
    /** Encoded or look-alike spelling: path_traversal. */
    DISGUISED
  }

  /** Top-level directories of the system (Linux and macOS): naming one is never a workspace file. */
  private static final Set<String> SYSTEM_DIRECTORIES = Set.of("bin", "boot", "dev", "etc", "lib", "lib32", "lib64",
      "libx32", "proc", "root", "run", "sbin", "sys", "usr", "var", "opt", "srv", "snap", "System", "Library",
      "private", "Applications", "Volumes", "cores");
  private static final String NULL_DEVICE = "/dev/null";

  private final String root;
  private final String realRoot;
  private final String realCwd;
  private final Map<String, RealPaths> walked = new HashMap<>();

  /**
   * @param root the workspace root as configured (absolute, normalised)
   * @param realRoot its canonical path
   * @param realCwd the canonical working directory of the request (inside the root)
   */
  PathJudge(String root, String realRoot, String realCwd) {
    this.root = root;
    this.realRoot = realRoot;
    this.realCwd = realCwd;
  }

  Verdict judge(String word) {
    if (word.isEmpty()) {
      return Verdict.INSIDE;
    }
    if (word.charAt(0) == '~') {
      return Verdict.HOME;
    }
    if (isDisguised(word)) {
      return Verdict.DISGUISED;
    }
    if (word.equals(NULL_DEVICE)) {
      return Verdict.INSIDE;
    }
    boolean absolute = word.charAt(0) == '/';
    String joined = absolute ? word : realCwd + "/" + word;
    String lexical = normalise(joined);
    if (!within(lexical, realRoot) && !within(lexical, root)) {
      if (!absolute) {
        return Verdict.DOTS;
      }
      return isSystem(lexical) ? Verdict.SYSTEM : Verdict.ABSOLUTE;
    }
    RealPaths real = real(word);
    return real != null && within(real.path(), realRoot) ? Verdict.INSIDE : Verdict.LINK;
  }

  /**
   * Where {@code word} really leads (null when that cannot be told: never vouched for), asked once per
   * request: the rules judge the same word more than once (read, written, read for its contents).
   */
  private RealPaths real(String word) {
    if (walked.containsKey(word)) {
      return walked.get(word);
    }
    RealPaths real;
    try {
      // Also a link that points nowhere is judged by where it points: see RealPaths.
      real = RealPaths.from(realCwd, word);
    } catch (IOException e) {
      real = null;
    }
    walked.put(word, real);
    return real;
  }

  /** The file {@code word} names, from the working directory (not canonicalised). */
  Path locate(String word) {
    return Path.of(!word.isEmpty() && word.charAt(0) == '/' ? word : realCwd + "/" + word);
  }

  /** Where a file written lands, beyond being inside the workspace. */
  enum Write {
    /** Nowhere special. */
    PLAIN,
    /** Under a {@code .git} directory, by name or through a link: what the next git command reads. */
    GIT_DIRECTORY,
    /** Through a final symbolic link that points nowhere yet: writing creates a target the policy cannot see. */
    DANGLING_LINK
  }

  /**
   * Judges a word that names a file to write, which {@link #judge} found inside: a {@code .git}
   * component (in any letter case: case-insensitive file systems exist) in its normalised path or
   * in its canonical one, or a final link that points nowhere.
   */
  Write write(String word) {
    String joined = word.charAt(0) == '/' ? word : realCwd + "/" + word;
    if (hasGitComponent(normalise(joined))) {
      return Write.GIT_DIRECTORY;
    }
    RealPaths real = real(word);
    if (real == null) {
      return Write.DANGLING_LINK;
    }
    if (hasGitComponent(real.path())) {
      return Write.GIT_DIRECTORY;
    }
    if (!real.exists()) {
      // Missing at the end of the walk; through a final link (as lstat sees the word: trailing
      // slashes dropped by Path), the write would create the target.
      try {
        if (SymbolicLinks.at(Path.of(joined).toString()).kind() == SymbolicLinks.Kind.LINK) {
          return Write.DANGLING_LINK;
        }
      } catch (IOException e) {
        return Write.DANGLING_LINK;
      }
    }
    return Write.PLAIN;
  }

  /** A {@code .git} component below the workspace root (the root's own path is the operator's). */
  private boolean hasGitComponent(String absolute) {
    String below = within(absolute, realRoot) ? absolute.substring(realRoot.length())
        : within(absolute, root) ? absolute.substring(root.length()) : absolute;
    for (String part : below.split("/")) {
      if (part.equalsIgnoreCase(".git")) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code word} hides dots, slashes or bytes behind an encoding or a look-alike. */
  static boolean isDisguised(String word) {
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c == '\\' || LookAlikes.pathEquivalent(c) != 0) {
        return true;
      }
      if (c == '%' && i + 2 < word.length() && isPercentEncodedPathByte(word, i)) {
        return true;
      }
    }
    return false;
  }

  /** {@code %2e %2f %5c %25} and any byte from {@code %80} up (overlong UTF-8), or IIS's {@code %u002e}. */
  private static boolean isPercentEncodedPathByte(String word, int at) {
    if ((word.charAt(at + 1) == 'u' || word.charAt(at + 1) == 'U') && at + 5 < word.length()) {
      return hex(word.charAt(at + 2)) >= 0 && hex(word.charAt(at + 3)) >= 0 && hex(word.charAt(at + 4)) >= 0
          && hex(word.charAt(at + 5)) >= 0;
    }
    int high = hex(word.charAt(at + 1));
    int low = hex(word.charAt(at + 2));
    if (high < 0 || low < 0) {
      return false;
    }
    int b = high * 16 + low;
    return b == '.' || b == '/' || b == '\\' || b == '%' || b >= 0x80;
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static boolean isSystem(String lexical) {
    if (lexical.equals("/")) {
      return true;
    }
    int end = lexical.indexOf('/', 1);
    return SYSTEM_DIRECTORIES.contains(end < 0 ? lexical.substring(1) : lexical.substring(1, end));
  }

  private static boolean within(String path, String directory) {
    return RealPaths.within(path, directory);
  }

  /** Lexical normalisation of an absolute path: {@code .}, {@code ..} and repeated slashes. */
  static String normalise(String absolute) {
    String[] parts = absolute.split("/");
    String[] kept = new String[parts.length];
    int depth = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        depth = Math.max(0, depth - 1);
      } else {
        kept[depth++] = part;
      }
    }
    if (depth == 0) {
      return "/";
    }
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      path.append('/').append(kept[i]);
    }
    return path.toString();
  }
}
