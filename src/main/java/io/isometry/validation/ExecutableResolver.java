package io.isometry.validation;

import io.isometry.os.Identity;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allowlist, resolved once to absolute executables on the engine's configured search path
 * ({@code security.searchPath}); neither a client's PATH nor the engine's own takes part.
 * Construction touches the file system (build it off the event loop); afterwards it is immutable
 * and thread-safe.
 *
 * <p>A bare name resolves to the first {@code dir/name} that is an executable regular file. The
 * path is kept as found rather than canonicalised: multi-call binaries (busybox) choose what to do
 * by the name they are started under. An allowlist entry that is an absolute path allows exactly
 * that path.
 *
 * <p>An executable with the setuid or setgid bit stays resolved, so that a request for it is
 * refused for what it is ({@code privilege_escalation}, by {@link PrivilegeRule}, which looks at
 * the bits again on every request) rather than as an unknown command; it is logged at start.
 *
 * <p>When children run as another user ({@code runAs}), an executable that user cannot execute
 * ({@link ExecuteAccess}: a directory on the way it cannot search, a file without its execute bit)
 * is not resolved but kept with the reason, so that a request for it is refused saying why
 * instead of failing at exec with nothing on stderr. This is judged once, at start.
 */
public final class ExecutableResolver {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutableResolver.class);

  private final Map<String, String> resolved;
  private final Map<String, String> unusable;

  /** For children that run as the engine itself. */
  public ExecutableResolver(List<String> allowedCommands, List<Path> searchDirectories) {
    this(allowedCommands, searchDirectories, null);
  }

  /** @param runAs the user children run as, or null when they run as the engine itself */
  public ExecutableResolver(List<String> allowedCommands, List<Path> searchDirectories, Identity runAs) {
    Map<String, String> found = new LinkedHashMap<>();
    Map<String, String> refused = new LinkedHashMap<>();
    for (String entry : allowedCommands) {
      Optional<String> located = locate(entry, searchDirectories);
      if (located.isEmpty()) {
        LOG.warn("Allowed command '{}' is not an executable file (search path {}); it stays unavailable",
            entry, searchDirectories);
        continue;
      }
      String path = located.get();
      Optional<String> denied = runAs == null ? Optional.empty() : ExecuteAccess.refusal(Path.of(path), runAs);
      if (denied.isPresent()) {
        String reason = path + " cannot be executed by " + runAs.name() + ", the user commands run as: " + denied.get();
        LOG.warn("Allowed command '{}' stays unavailable: {}", entry, reason);
        refused.put(entry, reason);
        continue;
      }
      found.put(entry, path);
      if (SetIdBits.isSetId(path)) {
        LOG.warn("Allowed command '{}' ({}) is setuid or setgid: every request for it is refused as "
            + "privilege_escalation", entry, path);
      }
    }
    this.resolved = Collections.unmodifiableMap(found);
    this.unusable = Collections.unmodifiableMap(refused);
  }

  /**
   * The absolute executable {@code command} (argv[0]) stands for, if it is allowed: a bare name on
   * the allowlist, or exactly an absolute path on it. Any other name with a slash is refused.
   */
  public Optional<String> resolve(String command) {
    // The keys are bare names and absolute paths (which map to themselves), so an exact lookup
    // refuses ./ls, bin/ls and /usr/bin/ls unless that very path is on the allowlist.
    return Optional.ofNullable(resolved.get(command));
  }

  /** Every allowed command that is available: name (or absolute path) to absolute executable. */
  public Map<String, String> resolved() {
    return resolved;
  }

  /**
   * Allowed commands found on the search path that the user children run as cannot execute: name
   * (or absolute path) to the reason, which names the executable and what stands in the way.
   */
  public Map<String, String> unusable() {
    return unusable;
  }

  private static Optional<String> locate(String entry, List<Path> searchDirectories) {
    try {
      if (entry.startsWith("/")) {
        return isExecutableFile(Path.of(entry)) ? Optional.of(entry) : Optional.empty();
      }
      if (entry.indexOf('/') >= 0 || entry.equals(".") || entry.equals("..")) {
        return Optional.empty();
      }
      for (Path directory : searchDirectories) {
        Path candidate = directory.resolve(entry);
        if (isExecutableFile(candidate)) {
          return Optional.of(candidate.toString());
        }
      }
      return Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static boolean isExecutableFile(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }
}
