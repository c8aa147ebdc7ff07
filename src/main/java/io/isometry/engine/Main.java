package io.isometry.engine;

import io.isometry.config.ConfigException;
import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.Version;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar isometry.jar [--conf FILE] [--cluster] | --help | --version}: loads the configuration
 * (defaults, the file, then {@code ISOMETRY_*} variables), places relative paths in the {@link Home},
 * starts the engine and stops it cleanly on SIGTERM or Ctrl+C, ending every process it runs and
 * saying so.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final int USAGE_ERROR = 2;
  private static final long STOP_TIMEOUT_S = 30;

  static final String USAGE = """
      Usage: java -jar isometry.jar [--conf FILE] [--cluster]
             java -jar isometry.jar --help | --version

      Starts the Isometry process engine: the REST API, the WebSocket feed, the event-bus bridges and
      the web console on http.host:http.port (127.0.0.1:8080), until SIGTERM or Ctrl+C, which end
      every process it runs.

        --conf FILE   a JSON file laid over the embedded defaults (unknown keys are refused)
        --cluster     join the cluster of cluster.members (cluster.enabled: true; docs/cluster.md)
        --help        this text
        --version     the engine's version

      ISOMETRY_<SECTION>_<KEY>=value sets any key (ISOMETRY_HTTP_PORT=0 takes a free port).
      ISOMETRY_HOME is where a relative workspace and dataDir are (default: beside the jar, or its
      parent when the jar is in lib/ or target/). The first start makes a token (dataDir/token) and
      logs the web console's URL with it.
      """;

  private Main() {
  }

  public static void main(String[] args) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("isometry: " + e.getMessage() + " (--help for the usage)");
      System.exit(USAGE_ERROR);
      return;
    }
    switch (arguments.action()) {
      case HELP -> System.out.print(USAGE);
      case VERSION -> System.out.println("isometry " + Version.engine() + " (Java " + Runtime.version() + ")");
      case START -> start(arguments, System.getenv());
    }
  }

  private static void start(Arguments arguments, Map<String, String> environment) {
    Path home = Home.locate(environment);
    JsonObject config;
    try {
      config = ConfigLoader.load(arguments.conf(), environment);
      if (arguments.cluster()) {
        config.getJsonObject("cluster").put("enabled", true);
      }
      EngineConfig.from(config);
      Home.resolve(config, home);
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("isometry: " + e.getMessage());
      System.exit(USAGE_ERROR);
      return;
    }
    Vertx vertx;
    try {
      // Clustered, this joins the cluster: the engine starts only as one of its nodes.
      vertx = EngineVertx.create(config).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      System.err.println("isometry: the cluster could not be joined: " + e.getMessage());
      System.exit(1);
      return;
    }
    AtomicReference<Engine> started = new AtomicReference<>();
    AtomicBoolean stopping = new AtomicBoolean();
    // Before the deploy: a Ctrl+C during the start still ends what has started.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (stopping.compareAndSet(false, true)) {
        stop(vertx, started.get());
      }
    }, "isometry-shutdown"));
    Engine.embed(vertx, config)
        .onSuccess(engine -> {
          started.set(engine);
          LOG.info("Isometry engine {} ready: {} (home {}, workspace {}, data {})", Version.engine(),
              engine.httpPort().map(port -> "http://" + config.getJsonObject("http").getString("host") + ":" + port
                  + "/api/v1").orElse("HTTP off"),
              home, config.getString("workspace"), config.getString("dataDir"));
        })
        .onFailure(failure -> {
          // A start cut short by a signal fails too: the shutdown hook is stopping it, nothing to add.
          if (stopping.compareAndSet(false, true)) {
            LOG.error("The engine could not start: {}", failure.getMessage());
            vertx.close().onComplete(closed -> System.exit(1));
          }
        });
  }

  /** On the shutdown hook's own thread, which may block; {@code engine} is null when it had not started. */
  private static void stop(Vertx vertx, Engine engine) {
    try {
      if (engine == null) {
        await(vertx.close());
        LOG.info("Isometry engine stopped during its start");
        return;
      }
      String ended = await(engine.client().stats().map(Main::ownStats)
          .map(stats -> stats.getInteger("running") + " running, " + stats.getInteger("suspended")
              + " suspended and " + stats.getInteger("queued") + " queued process(es) ended")
          .otherwise(failure -> "the count of live processes unknown (" + failure.getMessage() + ")"));
      await(vertx.close());
      LOG.info("Isometry engine stopped: {}; {}{}the journal closed", ended,
          engine.httpPort().map(port -> "HTTP on port " + port + ", ").orElse(""),
          engine.tcpBridgePort().map(port -> "the TCP bridge on port " + port + ", ").orElse(""));
    } catch (Exception e) {
      LOG.warn("The engine did not stop cleanly: {}", e.getMessage());
    }
  }

  /** The answering node's own counts: in a cluster, the stats sum every node's, and only this node's processes end. */
  private static JsonObject ownStats(JsonObject stats) {
    String node = stats.getString("node");
    return stats.getJsonArray("nodes", new JsonArray()).stream().map(JsonObject.class::cast)
        .filter(nodeStats -> node != null && node.equals(nodeStats.getString("node"))).findFirst().orElse(stats);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** What the command line asks for. */
  record Arguments(Action action, Path conf, boolean cluster) {

    enum Action { START, HELP, VERSION }

    static Arguments parse(String[] args) {
      Path conf = null;
      boolean cluster = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> {
            return new Arguments(Action.HELP, null, false);
          }
          case "--version", "-V" -> {
            return new Arguments(Action.VERSION, null, false);
          }
          case "--conf" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--conf needs a file");
            }
            conf = Path.of(args[++i]);
          }
          case "--cluster" -> cluster = true;
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      return new Arguments(Action.START, conf, cluster);
    }
  }
}
