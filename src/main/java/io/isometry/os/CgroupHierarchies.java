package io.isometry.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the engine's own cgroups are, read from {@code /proc/self/cgroup} and
 * {@code /proc/self/mountinfo}: for each cgroup v1 controller, the directory of the engine's cgroup
 * in that hierarchy, and the engine's cgroup v2 directory when the unified hierarchy is mounted.
 * The engine only ever creates cgroups below these directories.
 */
public record CgroupHierarchies(Map<String, Path> v1, Optional<Path> v2) {

  /** Reads the current process's cgroups. Blocking (reads /proc). */
  public static CgroupHierarchies ofThisProcess() throws IOException {
    return parse(Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8),
        Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
  }

  static CgroupHierarchies parse(List<String> cgroupLines, List<String> mountLines) {
    Map<String, String> v1Paths = new HashMap<>();
    String v2Path = null;
    for (String line : cgroupLines) {
      String[] fields = line.split(":", 3);
      if (fields.length < 3) {
        continue;
      }
      if (fields[0].equals("0") && fields[1].isEmpty()) {
        // The leaf an engine moved itself into (CgroupV2) is not its own cgroup: its parent is.
        v2Path = fields[2].endsWith("/" + CgroupV2.ENGINE_LEAF)
            ? fields[2].substring(0, fields[2].length() - CgroupV2.ENGINE_LEAF.length() - 1) : fields[2];
        if (v2Path.isEmpty()) {
          v2Path = "/";
        }
      } else {
        for (String controller : fields[1].split(",")) {
          v1Paths.put(controller, fields[2]);
        }
      }
    }
    Map<String, Path> v1 = new HashMap<>();
    Path v2 = null;
    for (String line : mountLines) {
      Mount mount = Mount.parse(line);
      if (mount == null) {
        continue;
      }
      if (mount.type.equals("cgroup")) {
        for (String option : mount.superOptions.split(",")) {
          String path = v1Paths.get(option);
          if (path != null) {
            v1.put(option, mount.directoryOf(path));
          }
        }
      } else if (mount.type.equals("cgroup2") && v2Path != null) {
        v2 = mount.directoryOf(v2Path);
      }
    }
    return new CgroupHierarchies(Map.copyOf(v1), Optional.ofNullable(v2));
  }

  /** One line of mountinfo: its root inside the filesystem, where it is mounted, its type and options. */
  private record Mount(String root, String point, String type, String superOptions) {

    static Mount parse(String line) {
      int separator = line.indexOf(" - ");
      if (separator < 0) {
        return null;
      }
      String[] before = line.substring(0, separator).split(" ");
      String[] after = line.substring(separator + 3).split(" ");
      if (before.length < 5 || after.length < 3) {
        return null;
      }
      return new Mount(before[3], before[4], after[0], after[2]);
    }

    /** The directory of cgroup {@code path} in this mount, or null when the mount does not show it. */
    Path directoryOf(String path) {
      if (root.equals("/")) {
        return Path.of(point, path);
      }
      if (path.equals(root) || path.startsWith(root + "/")) {
        return Path.of(point, path.substring(root.length()));
      }
      return Path.of(point);
    }
  }
}
