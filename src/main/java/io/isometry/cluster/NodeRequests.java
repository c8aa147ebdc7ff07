package io.isometry.cluster;

import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Sends a request on to the node it is about, with the caller's headers as the authenticating node
 * stamped them (the owner and role travel, and the receiving node judges them as its own). A node
 * that has no consumer for the address (it left, or has not started) or does not answer in time is
 * 503 {@code unavailable}, naming it; what the node answered, error or not, comes back as it was.
 */
final class NodeRequests {

  private final EventBus bus;

  NodeRequests(EventBus bus) {
    this.bus = bus;
  }

  Future<JsonObject> ask(String node, String address, JsonObject body, MultiMap headers, long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    headers.forEach(options::addHeader);
    return bus.<JsonObject>request(Addresses.onNode(node, address), body, options)
        .transform(answer -> {
          if (answer.succeeded()) {
            return Future.succeededFuture(answer.result().body());
          }
          if (answer.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            return Future.failedFuture(unreachable(node, "is not in the cluster"));
          }
          if (answer.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
            return Future.failedFuture(unreachable(node, "did not answer within " + timeoutMs + " ms"));
          }
          return Future.failedFuture(EngineError.from(answer.cause()));
        });
  }

  private static EngineError unreachable(String node, String why) {
    return new EngineError(ErrorCode.UNAVAILABLE, "the node '" + node + "' " + why);
  }
}
