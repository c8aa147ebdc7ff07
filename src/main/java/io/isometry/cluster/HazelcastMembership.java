package io.isometry.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The members of the Hazelcast cluster Vert.x runs on, named by the engine's member attribute.
 * Hazelcast lists members oldest first on every member. Vert.x's own {@code nodeListener} has one
 * slot (its HA manager's), so this listens to Hazelcast directly; its callbacks come on a Hazelcast
 * thread and are handed to the Vert.x context that asked.
 */
final class HazelcastMembership implements Membership {

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String local;
  private final List<UUID> listeners = new ArrayList<>();

  HazelcastMembership(Vertx vertx, HazelcastInstance hazelcast, String local) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.local = local;
  }

  @Override
  public String local() {
    return local;
  }

  /** Hazelcast's member list is local state, kept current by its own protocol: no remote call. */
  @Override
  public List<Node> nodes() {
    List<Node> nodes = new ArrayList<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      String name = member.getAttribute(HazelcastSettings.NODE_ATTRIBUTE);
      if (name != null) {
        nodes.add(new Node(name, member.getAttribute(HazelcastSettings.JOINED_ATTRIBUTE)));
      }
    }
    return nodes;
  }

  @Override
  public void onLeft(Consumer<String> left) {
    Context context = vertx.getOrCreateContext();
    listeners.add(hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        // A node that joins announces itself through what it publishes.
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String name = event.getMember().getAttribute(HazelcastSettings.NODE_ATTRIBUTE);
        if (name != null) {
          context.runOnContext(v -> left.accept(name));
        }
      }
    }));
  }

  @Override
  public void close() {
    if (hazelcast.getLifecycleService().isRunning()) {
      listeners.forEach(hazelcast.getCluster()::removeMembershipListener);
    }
    listeners.clear();
  }
}
