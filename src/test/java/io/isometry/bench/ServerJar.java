package io.isometry.bench;

import io.isometry.testing.EngineProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server jar started as an operator starts it ({@code java <options> -jar isometry.jar}), for the
 * benchmarks that measure the engine as it runs in production: its own JVM, from a cold start.
 */
final class ServerJar implements AutoCloseable {

  static final String TOKEN = "bench-server-jar-token-0123456789";

  private final EngineProcess engine;
  private final int port;
  private final double startSeconds;

  private ServerJar(EngineProcess engine, int port, double startSeconds) {
    this.engine = engine;
    this.port = port;
    this.startSeconds = startSeconds;
  }

  /**
   * Starts {@code jar} with {@code jvmOptions}, its home in {@code home}, the sandbox in {@code sandboxMode}
   * ({@code off} runs children as root, so that no workspace permissions are in play), up to
   * {@code maxConcurrent} children at once and no rate limit; returns once it listens.
   */
  static ServerJar start(Path jar, Path home, List<String> jvmOptions, String sandboxMode, int maxConcurrent)
      throws Exception {
    Map<String, String> environment = Map.of(
        "ISOMETRY_HOME", Files.createDirectories(home).toString(),
        "ISOMETRY_RUNAS", "off".equals(sandboxMode) ? "root" : "nobody",
        "ISOMETRY_SANDBOX_MODE", sandboxMode,
        "ISOMETRY_SUPERVISOR_MAXCONCURRENT", String.valueOf(maxConcurrent),
        "ISOMETRY_SUPERVISOR_MAXRUNNINGPEROWNER", String.valueOf(maxConcurrent),
        "ISOMETRY_SUPERVISOR_QUEUEPEROWNER", "1000",
        "ISOMETRY_SUPERVISOR_QUEUECAPACITY", "1000",
        "ISOMETRY_HTTP_SUBMITRATEPERSECOND", "1000000",
        "ISOMETRY_HTTP_SUBMITBURST", "1000000",
        "ISOMETRY_AUTH_TOKENS", new JsonArray().add(new JsonObject()
            .put("token", TOKEN).put("principal", "bench").put("role", "admin")).encode());
    long started = System.nanoTime();
    EngineProcess engine = EngineProcess.fromJar(jar, jvmOptions, environment);
    return new ServerJar(engine, engine.port(), (System.nanoTime() - started) / 1e9);
  }

  /** The options of a java @argfile such as conf/jvm.options: one per line, {@code #} starts a comment. */
  static List<String> argumentFile(Path file) throws IOException {
    List<String> options = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String option = line.replaceFirst("#.*", "").strip();
      if (!option.isEmpty()) {
        options.add(option);
      }
    }
    return options;
  }

  RoundTripFeed feed() throws Exception {
    return RoundTripFeed.open(port, TOKEN);
  }

  /** Seconds from the JVM's start to the engine's ready line. */
  double startSeconds() {
    return startSeconds;
  }

  long residentKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(engine.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + engine.pid());
  }

  /** A clean stop (SIGTERM): a class archive asked for with -XX:ArchiveClassesAtExit is written at the exit. */
  @Override
  public void close() throws InterruptedException {
    try {
      engine.stop();
    } finally {
      engine.close();
    }
  }
}
