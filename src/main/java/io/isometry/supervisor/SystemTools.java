package io.isometry.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The few system programs the supervisor itself runs: util-linux {@code setsid}, which gives each
 * child a session and process group of its own, and {@code kill}, which signals a whole group.
 * Found at fixed system locations, never through anybody's PATH.
 */
record SystemTools(String setsid, String kill) {

  private static final List<String> DIRECTORIES = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

  /** Finds the tools; fails with a message that says which one is missing. Blocking. */
  static SystemTools locate() {
    return new SystemTools(find("setsid"), find("kill"));
  }

  private static String find(String name) {
    for (String directory : DIRECTORIES) {
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("'" + name + "' (util-linux/procps) is not installed in " + DIRECTORIES
        + "; the engine needs it to control process trees");
  }
}
