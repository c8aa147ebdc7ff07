package io.isometry.engine;

import io.vertx.core.json.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The server's home: the directory its relative {@code workspace} and {@code dataDir} are in, so that
 * the directory it was started from does not matter. {@code ISOMETRY_HOME} when set; else beside the
 * jar: the jar's directory, or its parent when that is {@code lib/} (a distribution's layout) or
 * Maven's {@code target/} (the repository: {@code mvn clean} must not take the journal and token
 * with it). Run from classes (tests, an IDE), the working directory.
 */
final class Home {

  static final String VARIABLE = "ISOMETRY_HOME";
  private static final Set<String> JAR_DIRS = Set.of("lib", "target");

  private Home() {
  }

  static Path locate(Map<String, String> environment) {
    String home = environment.get(VARIABLE);
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath().normalize();
    }
    return besideTheJar(codeSource());
  }

  /** {@code code} is where the engine's classes were loaded from: a jar, or a directory of classes. */
  static Path besideTheJar(Path code) {
    if (Files.isDirectory(code)) {
      return Path.of("").toAbsolutePath();
    }
    Path dir = code.toAbsolutePath().normalize().getParent();
    Path name = dir.getFileName();
    return name != null && JAR_DIRS.contains(name.toString()) && dir.getParent() != null ? dir.getParent() : dir;
  }

  /** {@code config} with its relative {@code workspace} and {@code dataDir} made absolute under {@code home}. */
  static JsonObject resolve(JsonObject config, Path home) {
    for (String key : new String[] {"workspace", "dataDir"}) {
      config.put(key, home.resolve(config.getString(key)).normalize().toString());
    }
    return config;
  }

  private static Path codeSource() {
    try {
      return Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell where the engine's classes are: " + e.getMessage(), e);
    }
  }
}
