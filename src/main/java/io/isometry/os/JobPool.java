package io.isometry.os;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cgroup jobs made ready ahead of time and reused, so that creating and removing three cgroups
 * (about 0.3 ms of a core, measured) is not paid per process. A job holds one process tree at a time;
 * it is reused only once it is empty again, with its peak reset and its OOM count as the new
 * baseline; one that cannot be reset (a cgroup v2 job with the memory controller) is removed and a
 * fresh one made ready instead. A job that still holds something after its tree ended (a process that
 * escaped the process group) is left where it is, for the cleanup sweep. Housekeeping, and the kills
 * and freezes of live trees' jobs ({@link #control}), run in order on a thread of the pool's own.
 */
public final class JobPool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JobPool.class);
  private static final Duration EMPTY_PATIENCE = Duration.ofMillis(500);
  private final Cgroups cgroups;
  private final long memoryBytes;
  private final long maxProcesses;
  private final int size;
  private final ConcurrentLinkedDeque<CgroupJob> ready = new ConcurrentLinkedDeque<>();
  private final AtomicLong names = new AtomicLong();
  private final long startedAt = System.currentTimeMillis();
  private volatile boolean closing;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "isometry-cgroups");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param memoryBytes the memory limit of a ready job (the default; a request may ask for less)
   * @param size how many jobs to keep ready
   */
  public JobPool(Cgroups cgroups, long memoryBytes, long maxProcesses, int size) {
    this.cgroups = cgroups;
    this.memoryBytes = memoryBytes;
    this.maxProcesses = maxProcesses;
    this.size = size;
    worker.execute(this::refill);
  }

  /** A job with its limits set, from the ready ones or made now. Blocking. */
  public CgroupJob take(long wantedMemoryBytes) throws IOException {
    CgroupJob job = ready.poll();
    if (job == null) {
      return cgroups.create(nextName(), wantedMemoryBytes, maxProcesses);
    }
    try {
      job.limitMemory(wantedMemoryBytes, maxProcesses);
      return job;
    } catch (IOException e) {
      // Neither ready nor taken: it goes, rather than stay behind unseen.
      job.remove();
      throw e;
    }
  }

  /**
   * Takes back a job whose tree has ended, off the caller's thread, after every {@link #control}
   * asked for before: a late kill or freeze never reaches the job's next tree.
   */
  public void release(CgroupJob job) {
    worker.execute(() -> {
      try {
        if (!job.awaitEmpty(EMPTY_PATIENCE)) {
          LOG.debug("Cgroup job {} still has processes; the cleanup sweep will find them", job.name());
        } else if (closing || ready.size() >= size) {
          job.remove();
        } else if (!job.reusable()) {
          job.remove();
          refill();
        } else {
          job.resetForReuse();
          ready.add(job);
        }
      } catch (IOException e) {
        LOG.warn("Could not take back cgroup job {}: {}", job.name(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /**
   * Runs {@code operation} (a kill or a freeze of a live tree's job) on the pool's thread, in the
   * order asked, before any later {@link #release}. Never on the caller's thread: cgroupfs writes
   * may wait for the kernel's cgroup lock.
   */
  public void control(CgroupJob job, String what, JobOperation operation) {
    worker.execute(() -> {
      try {
        operation.apply(job);
      } catch (IOException | RuntimeException e) {
        LOG.error("Could not {} cgroup job {}: {}", what, job.name(), e.getMessage());
      }
    });
  }

  /** A blocking operation on a job. */
  @FunctionalInterface
  public interface JobOperation {
    void apply(CgroupJob job) throws IOException;
  }

  private void refill() {
    try {
      while (!closing && ready.size() < size) {
        ready.add(cgroups.create(nextName(), memoryBytes, maxProcesses));
      }
    } catch (IOException e) {
      LOG.warn("Could not prepare a cgroup job: {}", e.getMessage());
    }
  }

  /** Unique across restarts too: a new engine must never stumble on a job a crashed one left behind. */
  private String nextName() {
    return "job-" + Long.toString(startedAt, 36) + "-" + names.incrementAndGet();
  }

  /** Finishes the removals under way, then removes the ready jobs (never one that holds a process). Blocking. */
  @Override
  public void close() {
    closing = true;
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CgroupJob job;
    while ((job = ready.poll()) != null) {
      job.remove();
    }
  }
}
