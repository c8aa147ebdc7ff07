package io.isometry.os;

import java.io.IOException;

/**
 * Where the spawner thread stands while it spawns: a child is born in the cgroups (v1) of the
 * thread that forks it, so entering a job's cgroups before the spawn puts the child under the job's
 * limits from its first instruction.
 */
public interface ThreadPlacement {

  void enter(int tid) throws IOException;

  void leave(int tid) throws IOException;
}
