package io.isometry.engine;

import io.isometry.testing.EngineProcess;
import io.isometry.testing.SmallDisk;
import java.time.Duration;

/**
 * The soak's deadline: past it, the soak says which phase it was in, kills the engine it started,
 * unmounts its disk and exits 3. A soak on a machine too loaded to finish fails loudly instead of
 * hanging.
 */
final class Watchdog {

  private volatile String phase = "starting";
  private volatile EngineProcess engine;

  Watchdog(Duration deadline, SmallDisk disk) {
    long started = System.nanoTime();
    Thread thread = new Thread(() -> {
      try {
        Thread.sleep(deadline.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      System.out.printf("%nFAIL: DEADLINE: the soak was still in phase '%s' after %.0f s (limit %d s: "
              + "--deadline-seconds); the engine is killed%n",
          phase, (System.nanoTime() - started) / 1e9, deadline.toSeconds());
      try {
        if (engine != null) {
          engine.kill();
          System.out.println("The engine's log ends:\n" + tail(engine.log()));
        }
        if (disk != null) {
          disk.close();
        }
      } catch (Exception e) {
        System.out.println("(cleaning up after the deadline: " + e + ")");
      }
      Runtime.getRuntime().halt(3);
    }, "soak-deadline");
    thread.setDaemon(true);
    thread.start();
  }

  void phase(String phase) {
    this.phase = phase;
    System.out.printf("-- %s%n", phase);
  }

  void engine(EngineProcess engine) {
    this.engine = engine;
  }

  private static String tail(String log) {
    return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
  }
}
