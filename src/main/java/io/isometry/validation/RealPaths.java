package io.isometry.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a path really leads: its canonical form, with a link on the way followed <em>also when it
 * points nowhere</em>, to where it would point. The validator runs as root, so its answer must not
 * depend on whether something exists where the run-as user could never look: a link to
 * {@code /root/.bashrc} and one to {@code /root/nothing} are judged alike (both lead out), instead of
 * telling a client which of them exists. Blocking (file system); a chain of more than
 * {@value #MAX_LINKS} dangling links fails, as the kernel's ELOOP does.
 */
final class RealPaths {

  private static final int MAX_LINKS = 40;

  private RealPaths() {
  }

  /** @param path an absolute path */
  static Path of(Path path) throws IOException {
    return follow(path, 0);
  }

  private static Path follow(Path path, int links) throws IOException {
    // The JDK's canonical form follows every link that leads somewhere, and keeps the rest as named.
    Path canonical = Path.of(path.toFile().getCanonicalPath());
    if (canonical.toFile().exists()) {
      // The common case, one stat: it exists, so every link on its way was followed.
      return canonical;
    }
    // The first component that does not exist is the only one that may be a link left standing.
    Path missing = canonical;
    while (missing.getParent() != null && !missing.getParent().toFile().exists()) {
      missing = missing.getParent();
    }
    if (!Files.isSymbolicLink(missing)) {
      return canonical;
    }
    // A link the canonical form left standing points nowhere: judge it by where it points.
    if (links >= MAX_LINKS) {
      throw new IOException("too many levels of symbolic links at " + missing);
    }
    Path target = missing.getParent().resolve(Files.readSymbolicLink(missing));
    return follow(target.resolve(missing.relativize(canonical)), links + 1);
  }
}
