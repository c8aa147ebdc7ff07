package io.isometry.http;

import io.isometry.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Stands in for the engine on one event-bus address, for tests of the HTTP surface alone. */
final class EngineStandIn {

  private EngineStandIn() {
  }

  /** Answers requests on {@code address} with {@code answer}; completes with the first request it gets. */
  static CompletableFuture<Message<Object>> answer(Vertx vertx, String address, Consumer<Message<Object>> answer)
      throws Exception {
    CompletableFuture<Message<Object>> received = new CompletableFuture<>();
    Await.result(vertx.eventBus().consumer(address, (Message<Object> message) -> {
      received.complete(message);
      answer.accept(message);
    }).completion());
    return received;
  }
}
