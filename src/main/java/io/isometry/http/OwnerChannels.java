package io.isometry.http;

import io.isometry.contract.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * Owner-scoped copies of the events about processes, for bridge clients that may see only their own:
 * every process, output, usage and rejected event is published again, on this node only, on
 * {@code <address>/<owner>} (e.g. {@code isometry.events.output/alice}). The TCP bridge relays what
 * a client registered for without asking anyone, so an operator there listens on its own channels,
 * which hold nothing else; the SockJS bridge offers them too, so a client works on either.
 */
final class OwnerChannels implements EngineEvents.Listener {

  static final String SEPARATOR = "/";
  /** The event addresses that have owner-scoped channels. */
  static final List<String> OWNED = List.of(Addresses.EVENT_PROCESS, Addresses.EVENT_OUTPUT,
      Addresses.EVENT_USAGE, Addresses.EVENT_REJECTED);

  /** This node's bridges relay from this node's copy; a cluster-wide copy would arrive once per node. */
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus eventBus;

  OwnerChannels(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  static String channel(String address, String owner) {
    return address + SEPARATOR + owner;
  }

  /** The owner of a scoped channel's address; empty for any other address. */
  static Optional<String> ownerOf(String address) {
    for (String owned : OWNED) {
      if (address.startsWith(owned + SEPARATOR) && address.length() > owned.length() + SEPARATOR.length()) {
        return Optional.of(address.substring(owned.length() + SEPARATOR.length()));
      }
    }
    return Optional.empty();
  }

  @Override
  public void onEvent(String address, JsonObject event, Audience.Scope scope) {
    if (!scope.everyone() && scope.owner() != null && OWNED.contains(address)) {
      eventBus.publish(channel(address, scope.owner()), event, LOCAL);
    }
  }
}
