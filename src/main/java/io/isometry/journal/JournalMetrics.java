package io.isometry.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/** The journal's meters, under {@code isometry.journal.}. Safe from any thread. */
final class JournalMetrics {

  /** What a row counted by {@link #rows} is. */
  enum Kind { ACCEPTED, EVENT, REJECTION, OUTPUT, EVICTED }

  private final MeterRegistry registry;
  private final Timer commits;
  private final DistributionSummary batches;
  private final Counter failures;
  private Gauge queue;

  JournalMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.commits = Timer.builder("isometry.journal.write")
        .description("One commit of the journal's writer: the batched requests' statements and the commit")
        .publishPercentileHistogram().register(registry);
    this.batches = DistributionSummary.builder("isometry.journal.batch")
        .description("Requests that shared one commit").register(registry);
    this.failures = Counter.builder("isometry.journal.failures")
        .description("Journal requests whose write failed after its retries").register(registry);
  }

  /** Reads the writer's queue on every scrape; strongly held, and removed at {@link #close}. */
  void queue(Collection<?> pending) {
    queue = Gauge.builder("isometry.journal.queue", pending, Collection::size).strongReference(true)
        .description("Requests waiting for the journal's writer").register(registry);
  }

  void committed(Duration elapsed, int requests) {
    commits.record(elapsed);
    batches.record(requests);
  }

  void failed(int requests) {
    failures.increment(requests);
  }

  void rows(Kind kind, int count) {
    Counter.builder("isometry.journal.rows").description("Rows the journal wrote or deleted, by kind")
        .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry).increment(count);
  }

  void close() {
    if (queue != null) {
      registry.remove(queue);
    }
  }
}
