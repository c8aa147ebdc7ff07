package io.isometry.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket feed's meters: sockets connected, events handed to them, and clients dropped because
 * they read slower than the engine writes. The feed writes to its sockets' channels itself, past
 * Vert.x's own byte counters, so these are where an operator sees the feed's load. They leave the
 * registry with the feed ({@link #close}), so that a feed deployed again counts afresh.
 */
final class FeedMetrics implements AutoCloseable {

  private final MeterRegistry registry;
  private final AtomicInteger clients = new AtomicInteger();
  private final Counter events;
  private final Counter dropped;
  private final List<Meter> meters;

  FeedMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge connected = Gauge.builder("isometry.feed.clients", clients::get)
        .description("WebSocket feed clients connected").register(registry);
    this.events = Counter.builder("isometry.feed.events")
        .description("Events handed to WebSocket feed clients, one per client").register(registry);
    this.dropped = Counter.builder("isometry.feed.dropped")
        .description("WebSocket feed clients closed because they could not keep up").register(registry);
    this.meters = List.of(connected, events, dropped);
  }

  void joined() {
    clients.incrementAndGet();
  }

  void left() {
    clients.decrementAndGet();
  }

  void delivered(int clientCount) {
    if (clientCount > 0) {
      events.increment(clientCount);
    }
  }

  void dropped() {
    dropped.increment();
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
  }
}
