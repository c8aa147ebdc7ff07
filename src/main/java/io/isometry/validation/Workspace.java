package io.isometry.validation;

import io.isometry.validation.WorkingDirectory.Placement;
import java.io.File;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The workspace root, and where a requested working directory really lands in it. Relative
 * paths are taken from the root; the path is normalised, then the symbolic links of its existing
 * part are followed, so neither {@code ..} nor a link can lead out unnoticed.
 *
 * <p>{@link #locate} touches the file system: call it off the event loop. The root's real path is
 * walked until the root exists (so the workspace may be created after the policy is built), then
 * kept: the root and the directories above it belong to the host's operator and the engine (a
 * child can write only inside its own workspace, never the entry that names it, and the validator
 * checks on every request that an owner's workspace is a real directory, never a link:
 * {@code Workspaces.ensure}), so no request can move it, and walking it again cost a system call
 * per component on every request. What lies below the root is walked on every call.
 */
public final class Workspace {

  private final Path root;
  /** The root's real path once it was found to exist; null until then. */
  private volatile String knownRealRoot;

  public Workspace(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The directory every relative path is taken from. */
  public Path root() {
    return root;
  }

  /**
   * Where {@code requested} (null or empty meaning the root) lands, and the judge of the files a
   * request names from there (from the root when the directory is not usable). The root's real path
   * is looked up once, for both.
   */
  Located place(String requested) {
    String realRoot = realRoot();
    WorkingDirectory cwd = locate(requested, realRoot);
    String judgedRoot = realRoot == null ? root.toString() : realRoot;
    String realCwd = cwd.relative() == null || cwd.relative().equals(".") ? judgedRoot : judgedRoot + "/" + cwd.relative();
    return new Located(cwd, new PathJudge(root.toString(), judgedRoot, realCwd));
  }

  private String realRoot() {
    String known = knownRealRoot;
    if (known != null) {
      return known;
    }
    try {
      RealPaths real = RealPaths.of(root.toString());
      if (real.exists()) {
        knownRealRoot = real.path();
      }
      return real.path();
    } catch (IOException e) {
      return null;
    }
  }

  /** A working directory and the judge of paths taken from it, for one request. */
  record Located(WorkingDirectory cwd, PathJudge paths) {
  }

  /** Where {@code requested} (null or empty meaning the root) lands. */
  public WorkingDirectory locate(String requested) {
    return place(requested).cwd();
  }

  private WorkingDirectory locate(String requested, String realRoot) {
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
    if (realRoot == null) {
      return WorkingDirectory.at(cwd, Placement.UNRESOLVABLE);
    }
    String real;
    try {
      // The root is walked once: the rest is taken from its real path, as the kernel would.
      real = lexical.equals(root) ? realRoot : RealPaths.from(realRoot, root.relativize(lexical).toString()).path();
    } catch (IOException e) {
      return WorkingDirectory.at(cwd, Placement.UNRESOLVABLE);
    }
    if (!RealPaths.within(real, realRoot)) {
      return WorkingDirectory.at(cwd, Placement.OUTSIDE_BY_LINK);
    }
    if (!new File(real).isDirectory()) {
      return WorkingDirectory.at(cwd, Placement.NOT_A_DIRECTORY);
    }
    String relative = real.equals(realRoot) ? "." : real.substring(realRoot.equals("/") ? 1 : realRoot.length() + 1);
    return new WorkingDirectory(cwd, Placement.INSIDE, relative);
  }
}
