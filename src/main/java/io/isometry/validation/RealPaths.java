package io.isometry.validation;

import io.isometry.os.SymbolicLinks;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a path really leads, walked the way the kernel walks it: component by component, a
 * symbolic link replaced by its target before the next component and before a {@code ..}, and a
 * link followed <em>also when it points nowhere</em>, to where it would point. The validator runs
 * as root, so its answer must not depend on whether something exists where the run-as user could
 * never look: a link to {@code /root/.bashrc} and one to {@code /root/nothing} are judged alike
 * (both lead out), instead of telling a client which of them exists.
 *
 * <p>Past a component that does not exist nothing can be a link yet, so the rest is taken as
 * named; a {@code ..} there steps back over the missing name (what {@code mkdir -p a/../b} does),
 * and walking resumes on the existing directory. One {@code readlink} per component of what the
 * caller asks about ({@link SymbolicLinks}); a path taken from a directory already real costs only
 * its own components. More than {@value #MAX_LINKS} links fail, as the kernel's ELOOP does.
 * Blocking (file system).
 *
 * @param path the real path ({@code /} for the root)
 * @param exists whether every component of it existed when walked
 */
record RealPaths(String path, boolean exists) {

  private static final int MAX_LINKS = 40;

  /** @param absolute an absolute path */
  static RealPaths of(String absolute) throws IOException {
    return from("/", absolute);
  }

  /**
   * @param realDirectory a real path (no links, no dots), where a relative {@code path} is taken from
   * @param path absolute, or relative to {@code realDirectory}
   */
  static RealPaths from(String realDirectory, String path) throws IOException {
    try {
      // Refuses what the kernel could not be given (NUL, text that is not Unicode), as before.
      Path.of(path);
    } catch (InvalidPathException e) {
      throw new IOException("not a path: " + e.getMessage());
    }
    // What is left to walk: the components of rest from index at on. A link's target goes in front
    // of what is left, as the kernel continues with it.
    String rest = path;
    int at = 0;
    StringBuilder real = new StringBuilder(path.startsWith("/") || realDirectory.equals("/") ? "" : realDirectory);
    int missing = 0;
    int links = 0;
    while (at <= rest.length()) {
      int slash = rest.indexOf('/', at);
      int end = slash < 0 ? rest.length() : slash;
      int start = at;
      at = end + 1;
      if (end == start || (end == start + 1 && rest.charAt(start) == '.')) {
        continue;
      }
      if (end == start + 2 && rest.charAt(start) == '.' && rest.charAt(start + 1) == '.') {
        real.setLength(Math.max(0, real.lastIndexOf("/")));
        missing = Math.max(0, missing - 1);
        continue;
      }
      int parent = real.length();
      real.append('/').append(rest, start, end);
      if (missing > 0) {
        missing++;
        continue;
      }
      SymbolicLinks.Entry entry = SymbolicLinks.at(real.toString());
      switch (entry.kind()) {
        case NOT_A_LINK -> {
          // an existing directory or file: walk on
        }
        case MISSING -> missing = 1;
        case LINK -> {
          if (++links > MAX_LINKS) {
            throw new IOException("too many levels of symbolic links at " + real);
          }
          real.setLength(entry.target().startsWith("/") ? 0 : parent);
          rest = at >= rest.length() ? entry.target() : entry.target() + "/" + rest.substring(at);
          at = 0;
        }
      }
    }
    return new RealPaths(real.length() == 0 ? "/" : real.toString(), missing == 0);
  }

  /** True when {@code path} is {@code directory} or below it (both real). */
  static boolean within(String path, String directory) {
    return path.equals(directory) || directory.equals("/")
        || (path.startsWith(directory) && path.length() > directory.length() && path.charAt(directory.length()) == '/');
  }
}
