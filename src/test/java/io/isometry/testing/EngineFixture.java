package io.isometry.testing;

import io.isometry.config.ConfigLoader;
import io.isometry.engine.EngineVerticle;
import io.isometry.os.Identity;
import io.isometry.sandbox.Workspaces;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A real engine for tests: the embedded defaults, a workspace and data dir of the test's own, free
 * ports, and an allowlist with the programs the tests drive (python3 runs the scripts that fork
 * grandchildren or ignore signals), looked up on the default {@code security.searchPath} (the
 * system's python3, not a pyenv shim on the test's own PATH). Children run as the engine's own user
 * here ({@code runAs} root); the least-privilege tests set {@code runAs} themselves.
 */
public final class EngineFixture {

  private EngineFixture() {
  }

  /** The test configuration, with {@code overrides} laid over it section by section. */
  public static JsonObject config(Path root, JsonObject overrides) throws IOException {
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    // JUnit makes temporary directories private; an unprivileged child must be able to reach its workspace.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    JsonObject base = new JsonObject()
        .put("runAs", "root")
        .put("workspace", workspace.toString())
        .put("dataDir", root.resolve("data").toString())
        .put("http", new JsonObject().put("port", 0).put("tcpBridgePort", 0))
        .put("security", new JsonObject().put("allowedCommands", new JsonArray()
            .add("echo").add("true").add("false").add("sleep").add("seq").add("cat").add("ls").add("python3")));
    // Not the environment of whoever runs the tests: a test's engine is what the test says.
    JsonObject merged = ConfigLoader.withOverrides(base, Map.of());
    mergeSections(merged, overrides);
    return merged;
  }

  public static Future<EngineVerticle> deploy(Vertx vertx, JsonObject config) {
    EngineVerticle engine = new EngineVerticle();
    return vertx.deployVerticle(engine, new DeploymentOptions().setConfig(config)).map(id -> engine);
  }

  /** Deploys an engine and answers its deployment id, for tests that undeploy it. */
  public static Future<String> deployment(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new EngineVerticle(), new DeploymentOptions().setConfig(config));
  }

  /** The principal the tests' embedded clients act for: {@code IsometryClient.trusted(vertx, HOST)}. */
  public static final String HOST = "host";

  /** Writes a script into the workspace of {@link #HOST} and returns its name there. */
  public static String script(JsonObject config, String name, String text) throws IOException {
    return script(config, HOST, name, text);
  }

  /** Writes a script into {@code owner}'s workspace (made as the engine makes it) and returns its name there. */
  public static String script(JsonObject config, String owner, String name, String text) throws IOException {
    Files.writeString(workspace(config, owner).resolve(name), text);
    return name;
  }

  /** {@code owner}'s workspace, made now as the engine would make it on first use. */
  public static Path workspace(JsonObject config, String owner) throws IOException {
    Workspaces workspaces = new Workspaces(Path.of(config.getString("workspace")),
        Identity.ofChildren(config.getString("runAs")));
    return workspaces.ensure(owner);
  }

  private static void mergeSections(JsonObject target, JsonObject overrides) {
    for (String key : overrides.fieldNames()) {
      Object value = overrides.getValue(key);
      if (value instanceof JsonObject section && target.getValue(key) instanceof JsonObject existing) {
        mergeSections(existing, section);
      } else {
        target.put(key, value);
      }
    }
  }
}
