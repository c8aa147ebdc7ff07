package io.isometry.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroups (v1) of one process tree: a memory cgroup with its limit, and, where the machine has
 * them, a pids cgroup (fork bombs), a freezer cgroup (a race-free tree kill) and a cpu cgroup (its
 * share of the machine's cores). Every method is
 * blocking (cgroupfs reads and writes): call them off the event loop.
 */
public final class CgroupV1Job implements CgroupJob, ThreadPlacement {

  private final Path memory;
  private final Path pids;
  private final Path freezer;
  private final Path cpu;
  /** What a thread writes to {@code tasks} to move itself. */
  static final String CALLING_THREAD = "0";
  /** The engine's own pid, listed in a job's cgroup.procs while the spawner thread is in it. */
  static final long ENGINE_PID = ProcessHandle.current().pid();
  /** Memory still charged to an emptied job that is worth a reclaim pass before reuse. */
  private static final long LEFTOVER_BYTES = 1024 * 1024;
  private final CgroupV1 owner;
  private long limitBytes = -1;
  private long oomBaseline;

  @Override
  public String name() {
    return memory.getFileName().toString();
  }

  CgroupV1Job(CgroupV1 owner, Path memory, Path pids, Path freezer, Path cpu) {
    this.owner = owner;
    this.memory = memory;
    this.pids = pids;
    this.freezer = freezer;
    this.cpu = cpu;
  }

  /**
   * Moves the calling thread (never the whole engine) into every cgroup of the job. It writes 0 to
   * {@code tasks}, meaning itself: the kernel then moves it without {@code cgroup_threadgroup_rwsem},
   * whose write side waits for an RCU grace period (up to 10 ms on this project's 2-core machine while
   * sandboxes come and go) where a pid written there takes it.
   */
  @Override
  public void enter() throws IOException {
    for (Path group : groups()) {
      write(group.resolve("tasks"), CALLING_THREAD);
    }
  }

  /** Moves the calling thread back to the engine's own cgroups, as {@link #enter} moved it. */
  @Override
  public void leave() throws IOException {
    owner.returnCallingThread();
  }

  @Override
  public ThreadPlacement threadPlacement() {
    return this;
  }

  /** On v1 a tree may come in either way: with the spawner thread, or moved in by pid. */
  @Override
  public boolean placesProcesses() {
    return false;
  }

  /** Moves process {@code pid} (all its threads, {@code cgroup.procs}) into every cgroup of the job. */
  @Override
  public void place(int pid) throws IOException {
    for (Path group : groups()) {
      write(group.resolve("cgroup.procs"), Integer.toString(pid));
    }
  }

  @Override
  public void limitMemory(long memoryBytes, long maxProcesses) throws IOException {
    if (memoryBytes != limitBytes) {
      limit(memoryBytes, maxProcesses);
    }
  }

  /** Sets the limits and reads them back: a limit that did not take is an error, never a pretence. */
  void limit(long memoryBytes, long maxProcesses) throws IOException {
    Path memoryLimit = memory.resolve("memory.limit_in_bytes");
    Path withSwap = memory.resolve("memory.memsw.limit_in_bytes");
    // Without the swap limit a process over its limit would be swapped out instead of stopped. The
    // kernel wants memory <= memory+swap at every moment: raise the outer one first, lower it last.
    boolean swapAccounted = Files.exists(withSwap);
    boolean raising = memoryBytes > Long.parseLong(read(memoryLimit));
    if (swapAccounted && raising) {
      write(withSwap, Long.toString(memoryBytes));
    }
    write(memoryLimit, Long.toString(memoryBytes));
    if (swapAccounted && !raising) {
      write(withSwap, Long.toString(memoryBytes));
    }
    long applied = Long.parseLong(read(memoryLimit));
    // The kernel rounds the limit to whole pages.
    if (Math.abs(applied - memoryBytes) >= 65536) {
      throw new IOException("memory.limit_in_bytes is " + applied + " after writing " + memoryBytes);
    }
    limitBytes = memoryBytes;
    if (pids != null) {
      write(pids.resolve("pids.max"), Long.toString(maxProcesses));
      if (!read(pids.resolve("pids.max")).equals(Long.toString(maxProcesses))) {
        throw new IOException("pids.max did not take " + maxProcesses);
      }
    }
  }

  /** Sets the tree's CFS quota per {@link CgroupV1#CPU_PERIOD_MICROS} and reads it back. */
  void limitCpu(long quotaMicros) throws IOException {
    write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CgroupV1.CPU_PERIOD_MICROS));
    write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros));
    if (Long.parseLong(read(cpu.resolve("cpu.cfs_quota_us"))) != quotaMicros) {
      throw new IOException("cpu.cfs_quota_us did not take " + quotaMicros);
    }
  }

  @Override
  public boolean reusable() {
    return true;
  }

  /**
   * Readies an emptied job for its next tree: its peak is reset, and the OOM count it has now
   * becomes the baseline (the kernel's counter cannot be reset). Blocking.
   */
  @Override
  public void resetForReuse() throws IOException {
    // The last tree's page cache stays charged to the job unless emptied: it would eat the next
    // tree's limit and inflate its peak. Emptying costs a reclaim pass, so only when there is some.
    if (Long.parseLong(read(memory.resolve("memory.usage_in_bytes"))) > LEFTOVER_BYTES) {
      write(memory.resolve("memory.force_empty"), "0");
    }
    write(memory.resolve("memory.max_usage_in_bytes"), "0");
    oomBaseline = totalOomKills();
  }

  /** How many times the kernel's OOM killer struck inside this job since its current tree began. */
  @Override
  public long oomKills() throws IOException {
    return totalOomKills() - oomBaseline;
  }

  private long totalOomKills() throws IOException {
    for (String line : read(memory.resolve("memory.oom_control")).split("\n")) {
      if (line.startsWith("oom_kill ")) {
        return Long.parseLong(line.substring("oom_kill ".length()).trim());
      }
    }
    return 0;
  }

  /** The most memory the job ever used, as the kernel counted it. */
  @Override
  public long peakBytes() throws IOException {
    return Long.parseLong(read(memory.resolve("memory.max_usage_in_bytes")));
  }

  /** True while the engine's spawner thread stands in the job: a spawn into it is under way. */
  @Override
  public boolean spawning() throws IOException {
    return members().contains((int) ENGINE_PID);
  }


  /** The processes in the job now. */
  @Override
  public List<Integer> members() throws IOException {
    List<Integer> members = new ArrayList<>();
    for (String line : read(memory.resolve("cgroup.procs")).split("\n")) {
      if (!line.isBlank()) {
        members.add(Integer.parseInt(line.trim()));
      }
    }
    return members;
  }

  /**
   * Kills every process in the job, also ones that left the process group. Frozen first where the
   * freezer exists, so nothing can fork while the list is read. Answers how many were signalled.
   */
  @Override
  public int killAll() throws IOException {
    if (freezer != null) {
      write(freezer.resolve("freezer.state"), "FROZEN");
    }
    int killed = 0;
    try {
      for (int pid : members()) {
        // The engine itself is listed while its spawner thread stands in the job: never that one.
        if (pid != ENGINE_PID && Signal.KILL.sendToProcess(pid)) {
          killed++;
        }
      }
    } finally {
      if (freezer != null) {
        write(freezer.resolve("freezer.state"), "THAWED");
      }
    }
    return killed;
  }

  /** Freezer, then a SIGKILL to each member: not one kernel operation, so not for every SIGKILL of a tree. */
  @Override
  public boolean killsAtOnce() {
    return false;
  }

  /** Suspend stays SIGSTOP to the tree's group on v1, as it always was. */
  @Override
  public boolean freezes() {
    return false;
  }

  @Override
  public void freeze(boolean frozen) throws IOException {
    throw new IOException("suspend on cgroup v1 is by signal");
  }

  /** Removes the job's cgroups; answers false while processes are still in them. */
  @Override
  public boolean remove() {
    boolean removed = true;
    for (Path group : groups()) {
      try {
        Files.deleteIfExists(group);
      } catch (IOException busy) {
        removed = false;
      }
    }
    return removed;
  }

  private List<Path> groups() {
    List<Path> groups = new ArrayList<>(4);
    groups.add(memory);
    if (pids != null) {
      groups.add(pids);
    }
    if (freezer != null) {
      groups.add(freezer);
    }
    if (cpu != null) {
      groups.add(cpu);
    }
    return groups;
  }

  static void write(Path file, String value) throws IOException {
    Files.writeString(file, value, StandardCharsets.US_ASCII);
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII).trim();
  }
}
