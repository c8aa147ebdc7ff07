package io.isometry.cluster;

import java.util.List;
import java.util.function.Consumer;

/** A node that is not clustered: a cluster of one, that no node ever leaves. */
final class SoloMembership implements Membership {

  private final Node self;

  SoloMembership(String local, String joinedAt) {
    this.self = new Node(local, joinedAt);
  }

  @Override
  public String local() {
    return self.name();
  }

  @Override
  public List<Node> nodes() {
    return List.of(self);
  }

  @Override
  public void onLeft(Consumer<String> left) {
    // Alone, no other node can leave.
  }

  @Override
  public void close() {
    // Nothing was listened to.
  }
}
