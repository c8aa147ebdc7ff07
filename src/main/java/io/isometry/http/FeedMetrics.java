package io.isometry.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket feed's meters: sockets connected, events handed to them, and clients dropped because
 * they read slower than the engine writes. The feed writes to its sockets' channels itself, past
 * Vert.x's own byte counters, so these are where an operator sees the feed's load.
 */
final class FeedMetrics {

  private final AtomicInteger clients = new AtomicInteger();
  private final Counter events;
  private final Counter dropped;

  FeedMetrics(MeterRegistry registry) {
    Gauge.builder("isometry.feed.clients", clients, AtomicInteger::get)
        .description("WebSocket feed clients connected").register(registry);
    this.events = Counter.builder("isometry.feed.events")
        .description("Events handed to WebSocket feed clients, one per client").register(registry);
    this.dropped = Counter.builder("isometry.feed.dropped")
        .description("WebSocket feed clients closed because they could not keep up").register(registry);
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
}
