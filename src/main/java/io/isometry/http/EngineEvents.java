package io.isometry.http;

import io.isometry.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's public events, consumed once for the whole HTTP side: each is read, its owner learnt
 * or looked up once ({@link Audience}), and handed to the listeners (the WebSocket feed, the
 * owner-scoped channels of the bridges) on the HTTP verticle's context.
 */
final class EngineEvents {

  /** Receives every event with the scope it may reach. */
  interface Listener {
    void onEvent(String address, JsonObject event, Audience.Scope scope);
  }

  /** The public event addresses, in the order they are consumed. */
  static final List<String> ADDRESSES = List.of(Addresses.EVENT_PROCESS, Addresses.EVENT_OUTPUT,
      Addresses.EVENT_USAGE, Addresses.EVENT_STATS, Addresses.EVENT_REJECTED);

  private static final Logger LOG = LoggerFactory.getLogger(EngineEvents.class);

  private final Audience audience;
  private final List<Listener> listeners;

  EngineEvents(Audience audience, List<Listener> listeners) {
    this.audience = audience;
    this.listeners = List.copyOf(listeners);
  }

  /** Starts consuming; completes once every consumer is registered. */
  Future<Void> start(EventBus eventBus) {
    return Future.all(ADDRESSES.stream()
            .map(address -> eventBus.<Object>consumer(address, this::dispatch))
            .map(MessageConsumer::completion)
            .toList())
        .mapEmpty();
  }

  private void dispatch(Message<Object> message) {
    if (!(message.body() instanceof JsonObject event)) {
      LOG.warn("Dropping an event on {} that is not a JSON object", message.address());
      return;
    }
    audience.learn(event);
    Audience.Scope scope = audience.scopeOf(event);
    for (Listener listener : listeners) {
      listener.onEvent(message.address(), event, scope);
    }
  }
}
