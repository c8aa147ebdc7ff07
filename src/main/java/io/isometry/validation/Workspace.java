package io.isometry.validation;

import io.isometry.validation.WorkingDirectory.Placement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The workspace root, and where a requested working directory really lands in it. Relative
 * paths are taken from the root; the path is normalised, then the symbolic links of its existing
 * part are followed, so neither {@code ..} nor a link can lead out unnoticed.
 *
 * <p>{@link #locate} touches the file system: call it off the event loop. The root's real path is
 * looked up on every call, so the workspace may be created after the policy is built.
 */
public final class Workspace {

  private final Path root;

  public Workspace(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The directory every relative path is taken from. */
  public Path root() {
    return root;
  }

  /**
   * Judges the files a request names, from its working directory ({@code cwd} as {@link #locate}
   * found it; the root when it is not usable). Resolves the root's real path once per request.
   */
  PathJudge judge(WorkingDirectory cwd) {
    String realRoot;
    try {
      realRoot = root.toFile().getCanonicalPath();
    } catch (IOException e) {
      realRoot = root.toString();
    }
    String realCwd = cwd.relative() == null || cwd.relative().equals(".") ? realRoot : realRoot + "/" + cwd.relative();
    return new PathJudge(root.toString(), realRoot, realCwd);
  }

  /** Where {@code requested} (null or empty meaning the root) lands. */
  public WorkingDirectory locate(String requested) {
    String cwd = requested == null || requested.isEmpty() ? "." : requested;
    if (ControlCharacters.firstForbidden(cwd) >= 0) {
      return WorkingDirectory.at(cwd, Placement.MALFORMED);
    }
    Path asked;
    try {
      asked = Path.of(cwd);
    } catch (InvalidPathException e) {
      return WorkingDirectory.at(cwd, Placement.MALFORMED);
    }
    Path lexical = root.resolve(asked).normalize();
    if (!lexical.startsWith(root)) {
      return WorkingDirectory.at(cwd, asked.isAbsolute() ? Placement.OUTSIDE_BY_ABSOLUTE_PATH : Placement.OUTSIDE_BY_DOTS);
    }
    Path realRoot;
    Path real;
    try {
      realRoot = RealPaths.of(root);
      real = RealPaths.of(lexical);
    } catch (IOException e) {
      return WorkingDirectory.at(cwd, Placement.UNRESOLVABLE);
    }
    if (!real.startsWith(realRoot)) {
      return WorkingDirectory.at(cwd, Placement.OUTSIDE_BY_LINK);
    }
    if (!Files.isDirectory(real)) {
      return WorkingDirectory.at(cwd, Placement.NOT_A_DIRECTORY);
    }
    String relative = realRoot.relativize(real).toString();
    return new WorkingDirectory(cwd, Placement.INSIDE, relative.isEmpty() ? "." : relative);
  }
}
