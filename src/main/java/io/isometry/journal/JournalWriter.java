package io.isometry.journal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The journal's one thread: it opens the database, runs every request in the order it was
 * submitted, and closes the database. Group commit: each cycle takes everything queued (up to
 * {@link #MAX_BATCH}) into one transaction, so a burst of requests costs one commit, not one each;
 * a request's future completes only after the commit that holds it, so an answer means durable.
 *
 * <p>Each request runs inside a savepoint: one that fails on its own (bad data) is rolled back and
 * failed alone, the rest of the batch commits. A failure of the transaction itself (busy, I/O, disk
 * full) rolls the whole batch back and retries it with backoff. After {@link #MAX_ATTEMPTS} a request
 * someone waits for ({@link #submit}) fails, so its sender learns of it at once; a record nobody waits
 * for ({@link #record}: events, rejections, output) stays in the backlog, in order, ahead of
 * everything queued after it, and is tried again every {@link #BACKLOG_RETRY_MS} (once a time, with
 * what came meanwhile: a request someone waits for then fails at once) until it lands.
 * Meanwhile the writer is degraded ({@link #degradedBecause()}); the first commit that holds the
 * backlog ends that. Nothing is dropped silently.
 */
final class JournalWriter {

  /** A unit of work on the journal, run on the writer thread. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Journal journal) throws SQLException;
  }

  static final int MAX_BATCH = 1000;
  static final int MAX_ATTEMPTS = 5;
  static final long BACKLOG_RETRY_MS = 1000;
  private static final long FIRST_BACKOFF_MS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
  private static final Task<Void> STOP = new Task<>(null, false);

  private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Callable<Journal> opener;
  private final JournalMetrics metrics;
  private final Consumer<String> health;
  /** Records that could not be written yet, in order; touched only by the writer thread. */
  private final List<Task<?>> backlog = new ArrayList<>();
  private volatile String degradedBecause;
  private volatile boolean closing;

  JournalWriter(Callable<Journal> opener, JournalMetrics metrics) {
    this(opener, metrics, because -> { });
  }

  /**
   * @param health hears, on the writer thread, why the writer became degraded, and null once it is
   *     not any more
   */
  JournalWriter(Callable<Journal> opener, JournalMetrics metrics, Consumer<String> health) {
    this.opener = opener;
    this.metrics = metrics;
    this.health = health;
    metrics.queue(queue);
    Thread thread = new Thread(this::run, "isometry-journal");
    // Not a daemon: the JVM must not exit halfway through a commit; close() ends the thread.
    thread.start();
  }

  /** Completes when the database is open and migrated, or fails with why it could not be. */
  CompletableFuture<Void> opened() {
    return opened;
  }

  /** Queues work someone waits for; the future completes after the commit that holds it, or fails. */
  <T> CompletableFuture<T> submit(Work<T> work) {
    return enqueue(new Task<>(work, false));
  }

  /**
   * Queues a record nobody waits for: when its transaction fails, it is kept and tried again until
   * it lands (its future fails only when it fails on its own, or when the journal closes without it).
   */
  <T> CompletableFuture<T> record(Work<T> work) {
    return enqueue(new Task<>(work, true));
  }

  /** Why the journal cannot write now (its last failure), or null when it can. */
  String degradedBecause() {
    return degradedBecause;
  }

  private synchronized <T> CompletableFuture<T> enqueue(Task<T> task) {
    if (closing) {
      task.future.completeExceptionally(new IllegalStateException("the journal is closed"));
    } else {
      queue.add(task);
    }
    return task.future;
  }

  /** Runs what is queued, checkpoints and closes the database, and ends the thread. */
  synchronized CompletableFuture<Void> close() {
    if (!closing) {
      closing = true;
      queue.add(STOP);
    }
    return closed;
  }

  private void run() {
    Journal journal;
    try {
      journal = opener.call();
    } catch (Exception e) {
      synchronized (this) {
        closing = true;
      }
      opened.completeExceptionally(e);
      failAll(queue, e);
      closed.complete(null);
      return;
    }
    opened.complete(null);
    List<Task<?>> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      if (backlog.isEmpty()) {
        batch.add(take());
        queue.drainTo(batch, MAX_BATCH - 1);
      } else {
        // Degraded: the backlog is tried again at its cadence, first, so that what could not be written
        // lands before what came after it; all that waits joins it once the journal closes (its stop with it).
        pause(BACKLOG_RETRY_MS);
        batch.addAll(backlog);
        backlog.clear();
        queue.drainTo(batch, closing ? Integer.MAX_VALUE : Math.max(1, MAX_BATCH - batch.size()));
      }
      // STOP is the last request ever queued, so it can only end a batch.
      stopping = batch.remove(STOP);
      if (!batch.isEmpty()) {
        commit(journal, batch, stopping || degradedBecause == null ? MAX_ATTEMPTS : 1);
      }
      batch.clear();
    }
    if (!backlog.isEmpty()) {
      LOG.error("The journal closes with {} record(s) it could not write: {}", backlog.size(), degradedBecause);
      metrics.failed(backlog.size());
      failAll(backlog, new IllegalStateException("the journal closed before it could write this: " + degradedBecause));
    }
    try {
      journal.close();
    } catch (SQLException e) {
      LOG.error("Could not close the journal cleanly (the WAL is replayed at the next start): {}", e.getMessage());
    }
    closed.complete(null);
  }

  private Task<?> take() {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      // Nobody interrupts this thread but a JVM going down: stop after what is queued.
      Thread.currentThread().interrupt();
      return STOP;
    }
  }

  /** Commits the batch in up to {@code attempts} tries (one each backlog retry while degraded: the retries are its cadence). */
  private void commit(Journal journal, List<Task<?>> batch, int attempts) {
    SQLException failure = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      long start = System.nanoTime();
      try {
        journal.begin();
        for (Task<?> task : batch) {
          task.run(journal);
        }
        journal.commit();
        metrics.committed(Duration.ofNanos(System.nanoTime() - start), batch.size());
        recovered();
        batch.forEach(Task::complete);
        return;
      } catch (SQLException e) {
        journal.rollback();
        failure = e;
        LOG.warn("Journal commit of {} request(s) failed (attempt {} of {}): {}",
            batch.size(), attempt, attempts, e.getMessage());
        if (attempt < attempts) {
          pause(FIRST_BACKOFF_MS << (attempt - 1));
        }
      }
    }
    List<Task<?>> waitedFor = new ArrayList<>();
    for (Task<?> task : batch) {
      (task.persistent ? backlog : waitedFor).add(task);
    }
    if (!waitedFor.isEmpty()) {
      LOG.error("Journal gave up on {} request(s) after {} attempt(s): {}", waitedFor.size(), attempts, failure.getMessage());
      failAll(waitedFor, failure);
    }
    if (!backlog.isEmpty()) {
      degraded(failure);
    }
  }

  private void degraded(SQLException failure) {
    String because = failure.getMessage();
    if (degradedBecause == null) {
      LOG.error("The journal cannot write ({}); {} record(s) are kept in order and tried again every {} ms",
          because, backlog.size(), BACKLOG_RETRY_MS);
    }
    if (!because.equals(degradedBecause)) {
      degradedBecause = because;
      health.accept(because);
    }
  }

  private void recovered() {
    if (degradedBecause != null) {
      LOG.info("The journal writes again: its backlog has landed");
      degradedBecause = null;
      health.accept(null);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void failAll(Iterable<Task<?>> tasks, Throwable failure) {
    for (Task<?> task : tasks) {
      if (task != STOP) {
        task.future.completeExceptionally(failure);
      }
    }
  }

  /** Failures of the transaction as a whole, worth a retry; any other failure is the request's own. */
  static boolean transactionFailure(SQLException e) {
    if (!(e instanceof SQLiteException sqlite)) {
      return false;
    }
    int primary = sqlite.getResultCode().code & 0xFF;
    return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code
        || primary == SQLiteErrorCode.SQLITE_IOERR.code || primary == SQLiteErrorCode.SQLITE_FULL.code
        || primary == SQLiteErrorCode.SQLITE_NOMEM.code || primary == SQLiteErrorCode.SQLITE_PROTOCOL.code;
  }

  /** One request and its outcome in the current attempt; the outcome is handed out after the commit. */
  private static final class Task<T> {

    final Work<T> work;
    final boolean persistent;
    final CompletableFuture<T> future = new CompletableFuture<>();
    private T result;
    private Exception failure;

    Task(Work<T> work, boolean persistent) {
      this.work = work;
      this.persistent = persistent;
    }

    void run(Journal journal) throws SQLException {
      result = null;
      failure = null;
      journal.savepoint();
      try {
        result = work.apply(journal);
        journal.release();
      } catch (SQLException e) {
        if (transactionFailure(e)) {
          throw e;
        }
        journal.rollbackToSavepoint();
        failure = e;
      } catch (RuntimeException e) {
        journal.rollbackToSavepoint();
        failure = e;
      }
    }

    void complete() {
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(result);
      }
    }
  }
}
