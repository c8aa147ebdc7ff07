package io.isometry.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kernel enforcement through the unified hierarchy (cgroup v2): one cgroup per process tree, under a
 * cgroup of this engine's (its scope) inside the engine's <em>own</em> cgroup. The controllers the
 * engine's cgroup offers among memory, pids and cpu are enabled for the scope and its jobs; on a
 * hybrid machine the unified hierarchy may offer none, and then it serves what needs no controller:
 * placement, {@code cgroup.kill} and {@code cgroup.freeze}. Nothing outside the engine's own cgroup
 * is created or touched, except that the engine moves itself into a leaf of its own cgroup when the
 * kernel's "no internal processes" rule requires it to enable a controller there.
 */
public final class CgroupV2 implements Cgroups {

  /** The leaf the engine moves itself into, inside its own cgroup, to enable controllers there. */
  public static final String ENGINE_LEAF = "isometry-engine";
  private static final List<String> LIMIT_CONTROLLERS = List.of("memory", "pids", "cpu");
  private final Path scope;
  private final List<String> controllers;
  private final long cpuQuotaMicros;

  private CgroupV2(Path scope, List<String> controllers, long cpuQuotaMicros) {
    this.scope = scope;
    this.controllers = List.copyOf(controllers);
    this.cpuQuotaMicros = cpuQuotaMicros;
  }

  /**
   * Opens this engine's scope in the unified hierarchy, with every limit controller the engine's own
   * cgroup offers enabled for it. Blocking.
   *
   * @throws IOException naming why the engine may not use cgroup v2 here
   */
  public static CgroupV2 open(CgroupHierarchies hierarchies, String scope, double cpuCores) throws IOException {
    Path own = hierarchies.v2().orElseThrow(() -> new IOException("no cgroup v2 hierarchy is mounted"));
    if (!Files.exists(own.resolve("cgroup.controllers"))) {
      throw new IOException("the engine's cgroup v2 directory " + own + " is not visible");
    }
    List<String> offered = words(CgroupV1Job.read(own.resolve("cgroup.controllers")));
    List<String> wanted = LIMIT_CONTROLLERS.stream().filter(offered::contains).toList();
    if (!wanted.isEmpty()) {
      enableForChildren(own, wanted);
    }
    Path directory = own.resolve(scope);
    try {
      Files.createDirectories(directory);
    } catch (IOException | SecurityException noRights) {
      throw new IOException("the engine may not create cgroup v2 cgroups in " + own + ": " + noRights.getMessage());
    }
    if (!Files.exists(directory.resolve("cgroup.kill")) || !Files.exists(directory.resolve("cgroup.freeze"))) {
      throw new IOException("this kernel's cgroup v2 has no cgroup.kill (Linux 5.14+) or no cgroup.freeze (5.2+)");
    }
    if (!wanted.isEmpty()) {
      write(directory.resolve("cgroup.subtree_control"), enabling(wanted));
    }
    return new CgroupV2(directory, wanted, Math.max(1_000, Math.round(cpuCores * CgroupV1.CPU_PERIOD_MICROS)));
  }

  /**
   * Enables {@code wanted} for the children of the engine's own cgroup. A non-root cgroup with
   * processes in it cannot (the kernel's "no internal processes" rule): when the engine is alone
   * there, it moves itself into a leaf and tries again; when others share its cgroup, it does not
   * move them, and says so.
   */
  private static void enableForChildren(Path own, List<String> wanted) throws IOException {
    Path control = own.resolve("cgroup.subtree_control");
    if (words(CgroupV1Job.read(control)).containsAll(wanted)) {
      return;
    }
    try {
      write(control, enabling(wanted));
      return;
    } catch (IOException busy) {
      List<String> others = lines(own.resolve("cgroup.procs")).stream()
          .filter(pid -> !pid.equals(Long.toString(CgroupV1Job.ENGINE_PID))).toList();
      if (!others.isEmpty()) {
        throw new IOException("cannot enable " + wanted + " in " + control + " (" + busy.getMessage()
            + "): the engine's cgroup also holds " + others.size() + " other process(es); run the engine in a cgroup"
            + " of its own (a systemd service, or systemd-run --scope)");
      }
    }
    Path leaf = own.resolve(ENGINE_LEAF);
    Files.createDirectories(leaf);
    write(leaf.resolve("cgroup.procs"), Long.toString(CgroupV1Job.ENGINE_PID));
    write(control, enabling(wanted));
  }

  private static String enabling(List<String> controllers) {
    return String.join(" ", controllers.stream().map(name -> "+" + name).toList());
  }

  @Override
  public CgroupV2Job create(String name, long memoryBytes, long maxProcesses) throws IOException {
    CgroupV2Job job = job(name);
    Files.createDirectory(scope.resolve(name));
    try {
      if (controllers.contains("cpu")) {
        job.limitCpu(cpuQuotaMicros);
      }
      job.limit(memoryBytes, maxProcesses);
      return job;
    } catch (IOException e) {
      job.remove();
      throw e;
    }
  }

  @Override
  public CgroupV2Job job(String name) {
    return new CgroupV2Job(scope.resolve(name), controllers.contains("memory"), controllers.contains("pids"));
  }

  @Override
  public List<String> jobNames() throws IOException {
    try (var entries = Files.list(scope)) {
      return entries.filter(Files::isDirectory).map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public boolean removeScope() {
    try {
      Files.deleteIfExists(scope);
      return true;
    } catch (IOException notEmpty) {
      return false;
    }
  }

  @Override
  public Map<String, String> serves() {
    Map<String, String> serves = new LinkedHashMap<>();
    if (controllers.contains("memory")) {
      serves.put("memory", "cgroup-v2");
    }
    if (controllers.contains("pids")) {
      serves.put("processes", "cgroup-v2");
    }
    if (controllers.contains("cpu")) {
      serves.put("cpu", "cgroup-v2");
    }
    serves.put("treeKill", "cgroup-v2 cgroup.kill");
    serves.put("freeze", "cgroup-v2 cgroup.freeze");
    serves.put("placement", "cgroup-v2 cgroup.procs while bubblewrap holds the sandbox (--seccomp)");
    return serves;
  }

  @Override
  public long cpuQuotaMicros() {
    return controllers.contains("cpu") ? cpuQuotaMicros : -1;
  }

  @Override
  public Map<String, List<String>> controllers() {
    return Map.of("v2", controllers);
  }

  /** The directory of this engine's scope. */
  public Path scope() {
    return scope;
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }

  private static List<String> lines(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : CgroupV1Job.read(file).split("\n")) {
      if (!line.isBlank()) {
        lines.add(line.trim());
      }
    }
    return lines;
  }

  private static void write(Path file, String value) throws IOException {
    CgroupV1Job.write(file, value);
  }
}
