package io.isometry.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kernel enforcement through cgroup v1: one memory (and pids, freezer and cpu) cgroup per process tree,
 * under a cgroup of this engine's (its scope) inside the engine's <em>own</em> cgroup of each hierarchy.
 * Nothing outside that subtree is created or touched.
 */
public final class CgroupV1 implements Cgroups {

  private final Path memory;
  private final Path pids;
  private final Path freezer;
  private final Path cpu;
  private final Path ownMemory;
  private final Path ownPids;
  private final Path ownFreezer;
  private final Path ownCpu;
  private final long cpuQuotaMicros;

  private CgroupV1(Path ownMemory, Path ownPids, Path ownFreezer, Path ownCpu, String scope, long cpuQuotaMicros) {
    this.ownMemory = ownMemory;
    this.ownPids = ownPids;
    this.ownFreezer = ownFreezer;
    this.ownCpu = ownCpu;
    this.memory = ownMemory.resolve(scope);
    this.pids = ownPids == null ? null : ownPids.resolve(scope);
    this.freezer = ownFreezer == null ? null : ownFreezer.resolve(scope);
    this.cpu = ownCpu == null ? null : ownCpu.resolve(scope);
    this.cpuQuotaMicros = cpuQuotaMicros;
  }

  /** The CFS period every job's CPU quota is a share of (the kernel's default). */
  public static final long CPU_PERIOD_MICROS = 100_000;

  /**
   * The name of an engine's cgroups: one per data directory, so that two engines on one machine
   * never take each other's processes for orphans, and a restarted engine finds its own again.
   */
  public static String scopeFor(Path dataDir) {
    return "isometry-" + Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
  }

  /**
   * The v1 enforcement this machine allows: the memory controller is required, pids, freezer and cpu
   * are used when they are there too. Empty when the engine may not create cgroups. Blocking.
   *
   * @param cpuCores the CPU time each job may use, in cores (its CFS quota over {@link #CPU_PERIOD_MICROS})
   */
  public static Optional<CgroupV1> open(CgroupHierarchies hierarchies, String scope, double cpuCores) {
    Path memory = hierarchies.v1().get("memory");
    if (memory == null) {
      return Optional.empty();
    }
    CgroupV1 cgroups = new CgroupV1(memory, usable(hierarchies.v1().get("pids"), scope),
        usable(hierarchies.v1().get("freezer"), scope), usable(hierarchies.v1().get("cpu"), scope), scope,
        Math.max(1_000, Math.round(cpuCores * CPU_PERIOD_MICROS)));
    try {
      for (Path parent : cgroups.parents()) {
        Files.createDirectories(parent);
      }
      return Optional.of(cgroups);
    } catch (IOException | SecurityException noRights) {
      return Optional.empty();
    }
  }

  private static Path usable(Path directory, String scope) {
    if (directory == null) {
      return null;
    }
    try {
      Files.createDirectories(directory.resolve(scope));
      return directory;
    } catch (IOException | SecurityException noRights) {
      return null;
    }
  }

  /** The controllers in use: always {@code memory}, then {@code pids}, {@code freezer} and {@code cpu} when present. */
  public List<String> inUse() {
    List<String> controllers = new ArrayList<>(List.of("memory"));
    if (pids != null) {
      controllers.add("pids");
    }
    if (freezer != null) {
      controllers.add("freezer");
    }
    if (cpu != null) {
      controllers.add("cpu");
    }
    return controllers;
  }

  @Override
  public Map<String, List<String>> controllers() {
    return Map.of("v1", inUse());
  }

  @Override
  public Map<String, String> serves() {
    Map<String, String> serves = new LinkedHashMap<>();
    serves.put("memory", "cgroup-v1");
    if (pids != null) {
      serves.put("processes", "cgroup-v1");
    }
    if (cpu != null) {
      serves.put("cpu", "cgroup-v1");
    }
    serves.put("treeKill", "cgroup-v1");
    serves.put("placement", "cgroup-v1 cgroup.procs: the sandbox moved in while bubblewrap holds it "
        + "(unconfined, cgroup-v1 tasks: the spawner thread stands in the job while it spawns)");
    return serves;
  }

  /** Each job's CFS quota per {@link #CPU_PERIOD_MICROS}, or -1 without the cpu controller. */
  @Override
  public long cpuQuotaMicros() {
    return cpu == null ? -1 : cpuQuotaMicros;
  }

  @Override
  public CgroupV1Job create(String name, long memoryBytes, long maxProcesses) throws IOException {
    CgroupV1Job job = job(name);
    Files.createDirectory(memory.resolve(name));
    try {
      if (pids != null) {
        Files.createDirectory(pids.resolve(name));
      }
      if (freezer != null) {
        Files.createDirectory(freezer.resolve(name));
      }
      if (cpu != null) {
        Files.createDirectory(cpu.resolve(name));
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
  public List<String> jobNames() throws IOException {
    try (var entries = Files.list(memory)) {
      return entries.filter(Files::isDirectory).map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public CgroupV1Job job(String name) {
    return new CgroupV1Job(this, memory.resolve(name), pids == null ? null : pids.resolve(name),
        freezer == null ? null : freezer.resolve(name), cpu == null ? null : cpu.resolve(name));
  }

  @Override
  public boolean removeScope() {
    boolean removed = true;
    for (Path parent : parents()) {
      try {
        Files.deleteIfExists(parent);
      } catch (IOException notEmpty) {
        removed = false;
      }
    }
    return removed;
  }

  void returnCallingThread() throws IOException {
    CgroupV1Job.write(ownMemory.resolve("tasks"), CgroupV1Job.CALLING_THREAD);
    if (ownPids != null) {
      CgroupV1Job.write(ownPids.resolve("tasks"), CgroupV1Job.CALLING_THREAD);
    }
    if (ownFreezer != null) {
      CgroupV1Job.write(ownFreezer.resolve("tasks"), CgroupV1Job.CALLING_THREAD);
    }
    if (ownCpu != null) {
      CgroupV1Job.write(ownCpu.resolve("tasks"), CgroupV1Job.CALLING_THREAD);
    }
  }

  private List<Path> parents() {
    List<Path> parents = new ArrayList<>(List.of(memory));
    if (pids != null) {
      parents.add(pids);
    }
    if (freezer != null) {
      parents.add(freezer);
    }
    if (cpu != null) {
      parents.add(cpu);
    }
    return parents;
  }
}
