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

  /**
   * {@code outer} entered first and left last (either may be null): a failure to leave one still
   * leaves the other.
   */
  static ThreadPlacement nested(ThreadPlacement outer, ThreadPlacement inner) {
    if (outer == null || inner == null) {
      return outer == null ? inner : outer;
    }
    return new ThreadPlacement() {
      @Override
      public void enter(int tid) throws IOException {
        outer.enter(tid);
        inner.enter(tid);
      }

      @Override
      public void leave(int tid) throws IOException {
        try {
          inner.leave(tid);
        } finally {
          outer.leave(tid);
        }
      }
    };
  }
}
