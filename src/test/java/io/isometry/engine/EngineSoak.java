package io.isometry.engine;

import io.isometry.testing.EngineProcess;
import io.isometry.testing.SmallDisk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code scripts/soak-journal --engine}: the whole engine under load and under faults, each command
 * {@code mkdir <its label>} in the workspace (proof that it ran; a second run fails). The phases, on
 * one data dir, each engine started on what the previous one left:
 * <ol>
 *   <li>{@value #CRASH}: a quarter of the commands, and a {@code kill -9} with requests on their way;
 *   <li>{@value #DISK_FULL} (as root: the data dir is a small tmpfs): commands queued and running,
 *       the disk filled to the last byte; {@code /health} must go 503, what is sent meanwhile must be
 *       answered 503 (and never run); then the space is freed and the journal must catch up without
 *       a restart ({@code /health} 200, the queue drains);
 *   <li>{@value #SIGTERM}: a clean stop with commands queued and running;
 *   <li>{@value #DEGRADED_KILL} (as root): the disk filled again and the engine killed with
 *       {@code kill -9} while the journal is degraded, its backlog in memory;
 *   <li>{@value #FINAL}: the rest, run to the end, and a clean stop.
 * </ol>
 * Then {@link SoakVerdict} judges. Every wait is bounded, and the whole soak has a deadline: past it
 * the soak kills the engine, says where it was, and exits 3.
 */
public final class EngineSoak {

  static final String CRASH = "crash under load";
  static final String DISK_FULL = "disk full";
  static final String SIGTERM = "SIGTERM under load";
  static final String DEGRADED_KILL = "kill -9 while degraded";
  static final String FINAL = "final";
  private static final Duration IDLE_PATIENCE = Duration.ofMinutes(3);

  private final SoakSettings settings;
  private final Path root;
  private final Map<String, String> environment = new HashMap<>();
  private final SoakClient.Answers answers = new SoakClient.Answers();
  private final Watchdog watchdog;
  private final SmallDisk disk;
  private int engines;
  private EngineProcess current;

  private EngineSoak(SoakSettings settings, Path root, SmallDisk disk) throws Exception {
    this.settings = settings;
    this.root = root;
    this.disk = disk;
    this.watchdog = new Watchdog(settings.deadline(), disk);
    environment.put("ISOMETRY_WORKSPACE", Files.createDirectories(root.resolve("workspace")).toString());
    environment.put("ISOMETRY_DATADIR", root.resolve("data").toString());
    environment.put("ISOMETRY_RUNAS", "root");
    environment.put("ISOMETRY_SANDBOX_MODE", settings.sandbox() ? "required" : "off");
    environment.put("ISOMETRY_SUPERVISOR_MAXCONCURRENT", "8");
    environment.put("ISOMETRY_SUPERVISOR_QUEUECAPACITY", "100000");
    environment.put("ISOMETRY_SUPERVISOR_MAXRUNNINGPEROWNER", "8");
    environment.put("ISOMETRY_SUPERVISOR_QUEUEPEROWNER", "100000");
    environment.put("ISOMETRY_HTTP_SUBMITRATEPERSECOND", "1000000");
    environment.put("ISOMETRY_HTTP_SUBMITBURST", "1000000");
    environment.put("ISOMETRY_AUTH_TOKENS", new JsonArray().add(new JsonObject()
        .put("token", SoakClient.TOKEN).put("principal", "soak").put("role", "admin")).encode());
  }

  public static void main(String[] args) throws Exception {
    SoakSettings settings;
    try {
      settings = SoakSettings.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path root = Files.createTempDirectory("isometry-soak",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    SmallDisk disk = null;
    try {
      disk = SmallDisk.mount(root.resolve("data"), 64);
    } catch (SmallDisk.Unavailable why) {
      System.out.println("The disk-full phases are left out: " + why.getMessage());
    }
    System.out.printf("soak-journal (engine): %s; data and workspace in %s%n", settings, root);
    boolean failed;
    EngineSoak soak = new EngineSoak(settings, root, disk);
    try {
      failed = soak.run();
    } catch (Exception e) {
      System.out.println("FAIL: the soak could not go on: " + e);
      failed = true;
    } finally {
      soak.keepLog();
      if (disk != null) {
        disk.close();
      }
    }
    System.exit(failed ? 1 : 0);
  }

  private boolean run() throws Exception {
    long started = System.nanoTime();
    int quarter = settings.commands() / 4;
    int tenth = settings.commands() / 10;
    try (EngineProcess engine = start(CRASH)) {
      SoakClient client = new SoakClient(engine.port(), answers);
      // Killed with requests still on their way: some are sent and never answered.
      client.send(CRASH, Integer.MAX_VALUE, quarter, false);
      engine.kill();
      client.close();
    }
    try (EngineProcess engine = start(DISK_FULL); SoakClient client = new SoakClient(engine.port(), answers)) {
      client.send(DISK_FULL, Integer.MAX_VALUE, quarter, true);
      if (disk != null) {
        DiskFullPhase.Figures figures = diskFull(client).run(tenth, settings.whileFull(), settings.fullHold(), DISK_FULL);
        System.out.println("disk full: " + figures);
        client.awaitIdle(IDLE_PATIENCE);
        if (figures.failure() != null) {
          System.out.println("FAIL: " + figures.failure());
          return true;
        }
      }
      watchdog.phase(SIGTERM);
      client.send(SIGTERM, Integer.MAX_VALUE, tenth, true);
      System.out.printf("SIGTERM under load: exit %d%n", engine.stop());
      keepLog(engine);
    }
    Map<String, String> beforeDegradedKill = Map.of();
    if (disk != null) {
      try (EngineProcess engine = start(DEGRADED_KILL); SoakClient client = new SoakClient(engine.port(), answers)) {
        DiskFullPhase.Figures figures = diskFull(client).degradeAndHold(2 * tenth, settings.fullHold(),
            DEGRADED_KILL);
        beforeDegradedKill = Map.copyOf(answers.seenByFeed());
        engine.kill();
        keepLog(engine);
        disk.free();
        System.out.println("kill -9 while degraded: " + figures);
      }
    }
    Path journal = root.resolve("journal-at-end.db");
    try (EngineProcess engine = start(FINAL); SoakClient client = new SoakClient(engine.port(), answers)) {
      client.send(FINAL, Integer.MAX_VALUE, Math.max(1, settings.commands() - answers.acknowledged().size()), true);
      client.awaitIdle(IDLE_PATIENCE);
      System.out.printf("final clean stop: exit %d%n", engine.stop());
      keepLog(engine);
      // After a clean stop journal.db alone is the journal (the WAL is checkpointed into it); kept off the tmpfs.
      Files.copy(root.resolve("data/journal.db"), journal, StandardCopyOption.REPLACE_EXISTING);
    }
    watchdog.phase("judging");
    System.out.printf("%d engines started; the soak took %.1f s%n", engines, (System.nanoTime() - started) / 1e9);
    return SoakVerdict.judge(journal, root.resolve("workspace/soak"), answers, beforeDegradedKill);
  }

  private DiskFullPhase diskFull(SoakClient client) {
    return new DiskFullPhase(client, disk, root.resolve("data/journal.db"), answers);
  }

  private EngineProcess start(String phase) throws Exception {
    watchdog.phase(phase);
    EngineProcess engine = EngineProcess.start(environment);
    watchdog.engine(engine);
    current = engine;
    engines++;
    engine.port();
    return engine;
  }

  private void keepLog(EngineProcess engine) throws Exception {
    Files.writeString(root.resolve("engine-" + engines + ".log"), engine.log());
  }

  /** Keeps the log of the engine started last, whatever became of it (the logs are in the soak's directory). */
  private void keepLog() throws Exception {
    if (current != null) {
      keepLog(current);
    }
  }

  /** {@code /health}'s status and reason, for the figures. */
  static String health(HttpResponse<String> response) {
    String reason = response.statusCode() == 200 ? "" : " " + new JsonObject(response.body()).getString("reason", "");
    return response.statusCode() + reason;
  }
}
