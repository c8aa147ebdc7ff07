package io.isometry.journal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
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
 * full) rolls the whole batch back and retries it with backoff; after {@link #MAX_ATTEMPTS} every
 * request of the batch fails, so its sender learns of it. Nothing is dropped silently.
 */
final class JournalWriter {

  /** A unit of work on the journal, run on the writer thread. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Journal journal) throws SQLException;
  }

  static final int MAX_BATCH = 1000;
  static final int MAX_ATTEMPTS = 5;
  private static final long FIRST_BACKOFF_MS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
  private static final Task<Void> STOP = new Task<>(null);

  private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Callable<Journal> opener;
  private final JournalMetrics metrics;
  private boolean closing;

  JournalWriter(Callable<Journal> opener, JournalMetrics metrics) {
    this.opener = opener;
    this.metrics = metrics;
    metrics.queue(queue);
    Thread thread = new Thread(this::run, "isometry-journal");
    // Not a daemon: the JVM must not exit halfway through a commit; close() ends the thread.
    thread.start();
  }

  /** Completes when the database is open and migrated, or fails with why it could not be. */
  CompletableFuture<Void> opened() {
    return opened;
  }

  /** Queues work; the future completes after the commit that holds it, or fails. */
  synchronized <T> CompletableFuture<T> submit(Work<T> work) {
    Task<T> task = new Task<>(work);
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
      batch.add(take());
      queue.drainTo(batch, MAX_BATCH - 1);
      // STOP is the last request ever queued, so it can only end a batch.
      stopping = batch.remove(STOP);
      if (!batch.isEmpty()) {
        commit(journal, batch);
      }
      batch.clear();
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

  private void commit(Journal journal, List<Task<?>> batch) {
    SQLException failure = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      long start = System.nanoTime();
      try {
        journal.begin();
        for (Task<?> task : batch) {
          task.run(journal);
        }
        journal.commit();
        metrics.committed(Duration.ofNanos(System.nanoTime() - start), batch.size());
        batch.forEach(Task::complete);
        return;
      } catch (SQLException e) {
        journal.rollback();
        failure = e;
        LOG.warn("Journal commit of {} request(s) failed (attempt {} of {}): {}",
            batch.size(), attempt, MAX_ATTEMPTS, e.getMessage());
        if (attempt < MAX_ATTEMPTS) {
          pause(FIRST_BACKOFF_MS << (attempt - 1));
        }
      }
    }
    LOG.error("Journal gave up on {} request(s) after {} attempts: {}", batch.size(), MAX_ATTEMPTS, failure.getMessage());
    failAll(batch, failure);
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
    final CompletableFuture<T> future = new CompletableFuture<>();
    private T result;
    private Exception failure;

    Task(Work<T> work) {
      this.work = work;
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
