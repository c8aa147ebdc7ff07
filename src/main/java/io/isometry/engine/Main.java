package io.isometry.engine;

import io.isometry.config.ConfigException;
import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar isometry.jar [--conf FILE]}: loads the configuration (defaults, the file, then
 * {@code ISOMETRY_*} variables), starts the engine and stops it cleanly on SIGTERM or Ctrl+C, ending
 * every process it runs.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final int USAGE_ERROR = 2;

  private Main() {
  }

  public static void main(String[] args) {
    JsonObject config;
    try {
      config = ConfigLoader.load(confFile(args), System.getenv());
      EngineConfig.from(config);
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("isometry: " + e.getMessage());
      System.exit(USAGE_ERROR);
      return;
    }
    Vertx vertx = EngineVertx.create();
    EngineVerticle engine = new EngineVerticle();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx), "isometry-shutdown"));
    vertx.deployVerticle(engine, new DeploymentOptions().setConfig(config))
        .onSuccess(id -> LOG.info("Isometry engine ready: http://{}:{}/api/v1 (workspace {})",
            config.getJsonObject("http").getString("host"), engine.httpPort(),
            Path.of(config.getString("workspace")).toAbsolutePath()))
        .onFailure(failure -> {
          LOG.error("The engine could not start: {}", failure.getMessage());
          vertx.close().onComplete(closed -> System.exit(1));
        });
  }

  private static Path confFile(String[] args) {
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--conf" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--conf needs a file");
          }
          file = Path.of(args[++i]);
        }
        case "--cluster" -> throw new IllegalArgumentException("--cluster: clustering is not available in this version");
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (usage: [--conf FILE])");
      }
    }
    return file;
  }

  private static void stop(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("The engine did not stop cleanly: {}", e.getMessage());
    }
  }
}
