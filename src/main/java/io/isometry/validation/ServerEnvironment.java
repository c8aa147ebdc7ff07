package io.isometry.validation;

import io.isometry.config.EngineConfig;
import io.isometry.os.Identity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a child gets from the engine, never from the request: the configured search path as its
 * PATH, and the variables that say who it is. When children run as another user ({@code runAs},
 * the engine being root) those are that user's: HOME from its password entry, USER and LOGNAME its
 * name. When they run as the engine itself, HOME and USER are the engine's own. Nothing else.
 *
 * @param searchPath {@code security.searchPath}: where executables are looked up, and the child's PATH
 * @param home the child's HOME
 * @param user the child's USER (and LOGNAME, when {@code runAs} is set)
 * @param runAs the user children run as, or null when they run as the engine itself
 */
public record ServerEnvironment(String searchPath, String home, String user, Identity runAs) {

  /** The names this environment may set; a request never sets them. */
  public static final Set<String> NAMES = Set.of("PATH", "HOME", "USER", "LOGNAME");

  /** Children that run as the engine itself, whose HOME and USER are given. */
  public ServerEnvironment(String searchPath, String home, String user) {
    this(searchPath, home, user, null);
  }

  /** Children that run as {@code runAs}: its home and name. */
  public static ServerEnvironment runningAs(String searchPath, Identity runAs) {
    return new ServerEnvironment(searchPath, runAs.home(), runAs.name(), runAs);
  }

  /**
   * The environment {@code config} gives children on this machine: its search path, and the
   * identity of the user they run as ({@link Identity#ofChildren}). Blocking (file reads).
   */
  public static ServerEnvironment of(EngineConfig config) {
    String searchPath = config.security().searchPath();
    Identity runAs;
    try {
      runAs = Identity.ofChildren(config.runAs());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (runAs != null) {
      return runningAs(searchPath, runAs);
    }
    return new ServerEnvironment(searchPath,
        orElse(System.getenv("HOME"), System.getProperty("user.home")),
        orElse(System.getenv("USER"), System.getProperty("user.name")));
  }

  /** The search path as a list of directories, in lookup order. */
  public List<Path> searchDirectories() {
    List<Path> directories = new ArrayList<>();
    for (String entry : searchPath.split(":")) {
      directories.add(Path.of(entry));
    }
    return directories;
  }

  /** The complete environment of a child: this one, then the (already allowed) request variables. */
  public Map<String, String> childEnvironment(Map<String, String> requested) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", searchPath);
    env.put("HOME", home);
    env.put("USER", user);
    if (runAs != null) {
      env.put("LOGNAME", user);
    }
    requested.forEach(env::putIfAbsent);
    return env;
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
