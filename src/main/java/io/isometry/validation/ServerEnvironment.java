package io.isometry.validation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a child inherits from the engine: the engine's own search path, home and user, and
 * nothing else. A client never sets these; it may only add variables the policy allows.
 *
 * @param searchPath the directories executables are looked up in, colon-separated, absolute only
 */
public record ServerEnvironment(String searchPath, String home, String user) {

  /** Used when the engine has no usable PATH of its own. */
  public static final String FALLBACK_SEARCH_PATH = "/usr/local/bin:/usr/bin:/bin";
  /** The names this environment sets; a request never overrides them. */
  public static final Set<String> NAMES = Set.of("PATH", "HOME", "USER");

  /** The engine process's own environment. */
  public static ServerEnvironment current() {
    return new ServerEnvironment(
        absoluteEntries(System.getenv("PATH")),
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
    requested.forEach(env::putIfAbsent);
    return env;
  }

  /**
   * Keeps the absolute entries of a PATH. An empty or relative entry means "the current
   * directory", which for the engine is wherever it was started: never a place to find programs.
   */
  static String absoluteEntries(String path) {
    if (path == null) {
      return FALLBACK_SEARCH_PATH;
    }
    List<String> kept = new ArrayList<>();
    for (String entry : path.split(":")) {
      if (entry.startsWith("/")) {
        kept.add(entry);
      }
    }
    return kept.isEmpty() ? FALLBACK_SEARCH_PATH : String.join(":", kept);
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
