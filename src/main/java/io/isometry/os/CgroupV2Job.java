package io.isometry.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroup (v2) of one process tree. Its limits where the controllers are enabled
 * ({@code memory.max} with {@code memory.swap.max} at 0, {@code pids.max}, {@code cpu.max}), each read
 * back; {@code memory.events} for the OOM killer and {@code memory.peak} for the peak; and, on every
 * kernel from 5.14, {@code cgroup.kill} (the whole tree in one operation, forks included) and
 * {@code cgroup.freeze}. A process enters by pid ({@code cgroup.procs}): a v2 cgroup takes whole
 * processes, never one thread of the engine. Blocking (cgroupfs).
 */
public final class CgroupV2Job implements CgroupJob {

  private final Path directory;
  private final boolean memory;
  private final boolean pids;
  private long limitBytes = -1;
  private long oomBaseline;

  CgroupV2Job(Path directory, boolean memory, boolean pids) {
    this.directory = directory;
    this.memory = memory;
    this.pids = pids;
  }

  @Override
  public String name() {
    return directory.getFileName().toString();
  }

  /** The job's directory in the unified hierarchy. */
  public Path directory() {
    return directory;
  }

  @Override
  public ThreadPlacement threadPlacement() {
    return null;
  }

  @Override
  public boolean placesProcesses() {
    return true;
  }

  @Override
  public void place(int pid) throws IOException {
    CgroupV1Job.write(directory.resolve("cgroup.procs"), Integer.toString(pid));
  }

  @Override
  public void limitMemory(long memoryBytes, long maxProcesses) throws IOException {
    if (memory && memoryBytes != limitBytes) {
      limit(memoryBytes, maxProcesses);
    }
  }

  /** Sets the limits of the enabled controllers and reads them back: a limit that did not take is an error. */
  void limit(long memoryBytes, long maxProcesses) throws IOException {
    if (memory) {
      CgroupV1Job.write(directory.resolve("memory.max"), Long.toString(memoryBytes));
      long applied = Long.parseLong(read("memory.max"));
      // The kernel rounds the limit to whole pages.
      if (Math.abs(applied - memoryBytes) >= 65536) {
        throw new IOException("memory.max is " + applied + " after writing " + memoryBytes);
      }
      // Without it a tree over its limit would be swapped out instead of stopped (where swap is accounted).
      Path swap = directory.resolve("memory.swap.max");
      if (Files.exists(swap)) {
        CgroupV1Job.write(swap, "0");
        if (!read("memory.swap.max").equals("0")) {
          throw new IOException("memory.swap.max did not take 0");
        }
      }
      limitBytes = memoryBytes;
    }
    if (pids) {
      CgroupV1Job.write(directory.resolve("pids.max"), Long.toString(maxProcesses));
      if (!read("pids.max").equals(Long.toString(maxProcesses))) {
        throw new IOException("pids.max did not take " + maxProcesses);
      }
    }
  }

  /** Sets the tree's quota per {@link CgroupV1#CPU_PERIOD_MICROS} ({@code cpu.max}) and reads it back. */
  void limitCpu(long quotaMicros) throws IOException {
    String wanted = quotaMicros + " " + CgroupV1.CPU_PERIOD_MICROS;
    CgroupV1Job.write(directory.resolve("cpu.max"), wanted);
    if (!read("cpu.max").equals(wanted)) {
      throw new IOException("cpu.max did not take '" + wanted + "': it is '" + read("cpu.max") + "'");
    }
  }

  /**
   * With the memory controller, no: {@code memory.peak} can only be reset for the descriptor that
   * writes it (Linux 6.12+), never for the next reader, so each tree gets a fresh job.
   */
  @Override
  public boolean reusable() {
    return !memory;
  }

  @Override
  public void resetForReuse() throws IOException {
    // A tree killed while suspended leaves its job frozen: the next tree would be born frozen.
    freeze(false);
    oomBaseline = memory ? totalOomKills() : 0;
  }

  @Override
  public long oomKills() throws IOException {
    return totalOomKills() - oomBaseline;
  }

  private long totalOomKills() throws IOException {
    if (!memory) {
      throw new IOException("the memory controller is not enabled in cgroup v2 here");
    }
    for (String line : read("memory.events").split("\n")) {
      if (line.startsWith("oom_kill ")) {
        return Long.parseLong(line.substring("oom_kill ".length()).trim());
      }
    }
    return 0;
  }

  @Override
  public long peakBytes() throws IOException {
    if (!memory) {
      throw new IOException("the memory controller is not enabled in cgroup v2 here");
    }
    if (!Files.exists(directory.resolve("memory.peak"))) {
      throw new IOException("this kernel has no memory.peak (Linux 5.19+)");
    }
    return Long.parseLong(read("memory.peak"));
  }

  @Override
  public List<Integer> members() throws IOException {
    List<Integer> members = new ArrayList<>();
    for (String line : read("cgroup.procs").split("\n")) {
      if (!line.isBlank()) {
        members.add(Integer.parseInt(line.trim()));
      }
    }
    return members;
  }

  /** The engine never stands in a v2 job: it moves the sandbox in by pid. */
  @Override
  public boolean spawning() {
    return false;
  }


  /** {@code cgroup.kill}: the kernel sends SIGKILL to every process in the job, also to those forked meanwhile. */
  @Override
  public int killAll() throws IOException {
    int members = members().size();
    CgroupV1Job.write(directory.resolve("cgroup.kill"), "1");
    return members;
  }

  @Override
  public boolean killsAtOnce() {
    return true;
  }

  @Override
  public boolean freezes() {
    return true;
  }

  @Override
  public void freeze(boolean frozen) throws IOException {
    CgroupV1Job.write(directory.resolve("cgroup.freeze"), frozen ? "1" : "0");
  }

  /** True once every process in the job is frozen ({@code frozen 1} in {@code cgroup.events}). */
  public boolean frozen() throws IOException {
    return read("cgroup.events").lines().anyMatch(line -> line.equals("frozen 1"));
  }

  @Override
  public boolean remove() {
    try {
      Files.deleteIfExists(directory);
      return true;
    } catch (IOException busy) {
      return false;
    }
  }

  private String read(String file) throws IOException {
    return CgroupV1Job.read(directory.resolve(file));
  }
}
