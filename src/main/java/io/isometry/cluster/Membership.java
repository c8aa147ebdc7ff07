package io.isometry.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which nodes make the cluster, by the engine's node names: every node's own view, oldest member
 * first (the same order on every node, so that "the oldest survivor" names one node everywhere).
 */
public interface Membership {

  /** A node of the cluster, and when it joined (ISO-8601 UTC). */
  record Node(String name, String joinedAt) {
  }

  String local();

  /** The members, oldest first; the local node among them. */
  List<Node> nodes();

  /** Whether {@code node} is a member now. */
  default boolean has(String node) {
    return nodes().stream().anyMatch(member -> member.name().equals(node));
  }

  /** Whether this node is the oldest member: the one that speaks for the cluster when a node is lost. */
  default boolean oldest() {
    List<Node> nodes = nodes();
    return !nodes.isEmpty() && nodes.get(0).name().equals(local());
  }

  /** Calls {@code left} with a node's name, on the caller's Vert.x context, each time a node leaves. */
  void onLeft(Consumer<String> left);

  /** Stops listening. */
  void close();

  /** The membership of {@code vertx}'s cluster, or this node alone when it is not clustered. */
  static Membership of(Vertx vertx, String local, String joinedAt) {
    if (vertx.isClustered() && ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager manager) {
      return new HazelcastMembership(vertx, manager.getHazelcastInstance(), local);
    }
    return new SoloMembership(local, joinedAt);
  }
}
