package io.isometry.os;

import java.io.IOException;

/**
 * Where the spawner thread stands while it spawns. A child is born in the cgroups (v1) of the thread
 * that forks it, so entering a job's cgroups before an unconfined spawn puts the child under the
 * job's limits from its first instruction; a sandbox is spawned standing in its owner's network
 * namespace. Both methods move the calling thread, and only it.
 */
public interface ThreadPlacement {

  void enter() throws IOException;

  /** Back where the engine's threads stand; also after an enter that failed halfway. */
  void leave() throws IOException;
}
