package io.isometry.os;

import java.io.IOException;

/**
 * Where the spawner thread stands while it spawns. A child is born in the cgroups (v1) of the thread
 * that forks it, so entering a job's cgroups before an unconfined spawn puts the child under the
 * job's limits from its first instruction; a sandbox is spawned standing in its owner's network
 * namespace.
 */
public interface ThreadPlacement {

  void enter(int tid) throws IOException;

  void leave(int tid) throws IOException;
}
