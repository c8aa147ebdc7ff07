package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.config.ConfigLoader;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Stream;
import io.isometry.engine.Engine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host with its own Vert.x that depends on the installed engine: one copy of every class, the
 * host's Vert.x the one in use, and the engine embedded in it runs a command.
 */
@Timeout(120)
class EmbeddedHostTest {

  @TempDir
  Path home;

  @Test
  void vertxIsOnTheClasspathOnceAndItIsTheHosts() throws IOException {
    List<URL> copies = Collections.list(getClass().getClassLoader().getResources("io/vertx/core/Vertx.class"));
    assertEquals(1, copies.size(), "copies of Vertx.class: " + copies);
    assertTrue(copies.get(0).toString().contains("/vertx-core-5.0.7.jar!"), copies.get(0).toString());
    assertEquals(List.of(), Collections.list(getClass().getClassLoader().getResources("logback.xml")),
        "the engine brings no logging configuration of its own");
  }

  @Test
  void noClassIsInTwoJars() throws IOException {
    Map<String, List<String>> jarsByClass = new HashMap<>();
    for (String entry : classPath()) {
      if (!entry.endsWith(".jar")) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        for (JarEntry file : Collections.list(jar.entries())) {
          String name = file.getName();
          if (name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/")) {
            jarsByClass.computeIfAbsent(name, key -> new ArrayList<>()).add(new File(entry).getName());
          }
        }
      }
    }
    Map<String, List<String>> twice = new TreeMap<>();
    jarsByClass.forEach((name, jars) -> {
      if (jars.size() > 1) {
        twice.put(name, jars);
      }
    });
    assertTrue(jarsByClass.containsKey("io/isometry/engine/Engine.class"), "the engine's jar is on the classpath");
    assertEquals(Map.of(), twice, "classes in more than one jar");
  }

  @Test
  void theEngineRunsACommandInTheHostsVertx() throws Exception {
    // When the host runs as root, children run as nobody: they must reach their workspace.
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = ConfigLoader.withOverrides(new JsonObject()
          .put("workspace", home.resolve("workspace").toString())
          .put("dataDir", home.resolve("data").toString())
          .put("http", new JsonObject().put("enabled", false)), Map.of());
      Engine engine = await(Engine.embed(vertx, config));
      IsometryClient client = engine.client();
      ProcessSnapshot done = await(client.run(Submission.of("echo from the host")));
      assertEquals(ProcessState.SUCCEEDED, done.state());
      assertEquals("from the host\n", await(client.output(done.id(), Stream.STDOUT)));
      assertFalse(engine.httpPort().isPresent(), "HTTP is off");
      await(engine.close());
    } finally {
      await(vertx.close());
    }
  }

  /** Surefire hands the forked JVM its class path in this property (java.class.path may be one manifest jar). */
  private static List<String> classPath() {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(path.split(File.pathSeparator));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
