package io.isometry.validation;

/**
 * Where a requested working directory lands, as found on the file system: the facts a rule
 * judges, so the file system is asked only once per request.
 *
 * @param requested the directory as asked for ({@code "."} when the request gave none)
 * @param placement where it lands
 * @param relative its real path relative to the real workspace root ({@code "."} for the root);
 *     set only when {@code placement} is {@link Placement#INSIDE}
 */
public record WorkingDirectory(String requested, Placement placement, String relative) {

  public enum Placement {
    /** An existing directory inside the workspace. */
    INSIDE,
    /** Inside the workspace, but not an existing directory. */
    NOT_A_DIRECTORY,
    /** A relative path whose {@code ..} steps lead out of the workspace. */
    OUTSIDE_BY_DOTS,
    /** An absolute path outside the workspace. */
    OUTSIDE_BY_ABSOLUTE_PATH,
    /** Inside the workspace by name, but a symbolic link on the way leads out. */
    OUTSIDE_BY_LINK,
    /** The path cannot be followed (a link loop, a directory the engine may not read). */
    UNRESOLVABLE,
    /** Not a path: it has control characters or is otherwise malformed. */
    MALFORMED
  }

  static WorkingDirectory at(String requested, Placement placement) {
    return new WorkingDirectory(requested, placement, null);
  }
}
