package io.isometry.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    Path existing = canonical;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isSymbolicLink(existing)) {
      return canonical;
    }
    // A link the canonical form left standing points nowhere: judge it by where it points.
    if (links >= MAX_LINKS) {
      throw new IOException("too many levels of symbolic links at " + existing);
    }
    Path target = existing.getParent().resolve(Files.readSymbolicLink(existing));
    return follow(target.resolve(existing.relativize(canonical)), links + 1);
  }
}
