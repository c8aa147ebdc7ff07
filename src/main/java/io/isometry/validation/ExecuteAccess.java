package io.isometry.validation;

import io.isometry.os.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the user children run as can execute a file, judged from mode bits the way the kernel
 * does without ACLs: every directory on the way must be searchable by it and the file executable
 * by it, each time by the owner's bits when it owns the entry, else the group's when the entry's
 * group is its gid (children get no supplementary groups), else the others'. The directories are
 * those of the path as written and those of its real path (symbolic links followed), so a link
 * into a private directory is seen. POSIX ACLs are not read.
 */
public final class ExecuteAccess {

  private static final int EXECUTE = 1;

  private ExecuteAccess() {
  }

  /**
   * What keeps {@code identity} from executing {@code executable} (absolute), e.g. "directory /root
   * (mode 0700, uid 0, gid 0) is not searchable", or empty when nothing does. Blocking (stats).
   */
  static Optional<String> refusal(Path executable, Identity identity) {
    if (identity.uid() == 0) {
      return Optional.empty();
    }
    try {
      Path real = executable.toRealPath();
      Set<Path> directories = new LinkedHashSet<>(ancestors(executable));
      directories.addAll(ancestors(real));
      for (Path directory : directories) {
        if (!permits(directory, identity)) {
          return Optional.of("directory " + directory + " " + describe(directory) + " is not searchable");
        }
      }
      if (!permits(real, identity)) {
        String file = real.equals(executable) ? real.toString() : real + " (where it leads)";
        return Optional.of(file + " " + describe(real) + " is not executable");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("it cannot be examined (" + e.getMessage() + ")");
    }
  }

  /**
   * What keeps {@code identity} from entering {@code directory} (absolute, existing): a directory on
   * the way, or it, that is not searchable by it; empty when nothing does (or for root). Blocking.
   */
  public static Optional<String> searchRefusal(Path directory, Identity identity) {
    if (identity == null || identity.uid() == 0) {
      return Optional.empty();
    }
    try {
      Set<Path> directories = new LinkedHashSet<>(ancestors(directory));
      directories.addAll(ancestors(directory.toRealPath()));
      directories.add(directory.toRealPath());
      for (Path step : directories) {
        if (!permits(step, identity)) {
          return Optional.of("directory " + step + " " + describe(step) + " is not searchable by " + identity.name());
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("it cannot be examined (" + e.getMessage() + ")");
    }
  }

  /** The directories a lookup of {@code path} walks through, from the root down. */
  private static List<Path> ancestors(Path path) {
    List<Path> directories = new ArrayList<>();
    for (Path parent = path.getParent(); parent != null; parent = parent.getParent()) {
      directories.add(0, parent);
    }
    return directories;
  }

  /** The execute (for a directory: search) bit that applies to {@code identity}, links followed. */
  private static boolean permits(Path path, Identity identity) throws IOException {
    Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid,gid");
    int mode = (Integer) attributes.get("mode");
    int shift = identity.uid() == (Integer) attributes.get("uid") ? 6
        : identity.gid() == (Integer) attributes.get("gid") ? 3 : 0;
    return ((mode >> shift) & EXECUTE) != 0;
  }

  private static String describe(Path path) throws IOException {
    Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid,gid");
    return String.format("(mode %04o, uid %d, gid %d)", (Integer) attributes.get("mode") & 07777,
        attributes.get("uid"), attributes.get("gid"));
  }
}
