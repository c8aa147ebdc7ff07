package io.isometry.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watch for a pid 1's first child, on real processes standing in for a sandbox's pid 1. */
@Timeout(30)
class CommandWatchTest {

  private final CommandWatch watch = new CommandWatch();
  private Process parent;

  @AfterEach
  void end() throws Exception {
    if (parent != null) {
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void seesTheFirstChildOfItsParent() throws Exception {
    parent = new ProcessBuilder("/bin/sh", "-c", "sleep 0.05; sleep 20 & wait").start();

    int child = watch.await((int) parent.pid());

    assertThat(child).isPositive();
    assertThat(ProcessHandle.of(child).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)).contains(parent.pid());
  }

  @Test
  void answersNoneOnceTheParentHasEnded() throws Exception {
    parent = new ProcessBuilder("/bin/sleep", "0.05").start();

    assertThat(watch.await((int) parent.pid())).isEqualTo(-1);
  }

  /** The launcher closing interrupts its setup threads: the watch then stops at once instead of spinning for 5 s. */
  @Test
  void anInterruptedWatchGivesUpAtOnce() throws Exception {
    parent = new ProcessBuilder("/bin/sleep", "20").start();
    Thread.currentThread().interrupt();
    long start = System.nanoTime();
    int child;
    try {
      child = watch.await((int) parent.pid());
    } finally {
      Thread.interrupted();
    }

    assertThat(child).isEqualTo(-1);
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
  }
}
