package io.isometry.sandbox;

import io.isometry.os.ExclusiveLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One generation of the sandbox's {@code /etc} ({@code etc-<random>}) and the lock that says an
 * engine is using it: an {@link ExclusiveLock} on {@code etc-<random>.lock} beside it, held for the
 * engine's life and let go by the kernel when the engine dies, however it dies. Two engines that
 * share a workspace root, in one JVM or two, each remove only the generations nobody holds.
 */
final class EtcGeneration implements AutoCloseable {

  static final String LOCK_SUFFIX = ".lock";

  private final Path directory;
  private final ExclusiveLock lock;

  private EtcGeneration(Path directory, ExclusiveLock lock) {
    this.directory = directory;
    this.lock = lock;
  }

  /**
   * Takes the lock of a new generation named {@code directory} and makes the directory: the lock
   * comes first, so that no other engine ever sees the generation's directory unheld. Null when the
   * name is taken (held, or its directory left by an engine that died): the caller picks another.
   */
  static EtcGeneration claim(Path directory) throws IOException {
    ExclusiveLock lock = ExclusiveLock.tryTake(lockOf(directory));
    if (lock == null) {
      return null;
    }
    try {
      Files.createDirectory(directory);
    } catch (java.nio.file.FileAlreadyExistsException taken) {
      lock.close();
      return null;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    return new EtcGeneration(directory, lock);
  }

  /**
   * Runs {@code removal} on the generation {@code directory} while holding its lock, when no engine
   * holds it (this one included); answers whether it ran.
   */
  static boolean removeIfUnheld(Path directory, Removal removal) throws IOException {
    try (ExclusiveLock lock = ExclusiveLock.tryTake(lockOf(directory))) {
      if (lock == null) {
        return false;
      }
      removal.remove(directory);
      Files.deleteIfExists(lockOf(directory));
      return true;
    }
  }

  /** What removes a generation's directory. */
  @FunctionalInterface
  interface Removal {
    void remove(Path directory) throws IOException;
  }

  static Path lockOf(Path directory) {
    return directory.resolveSibling(directory.getFileName() + LOCK_SUFFIX);
  }

  Path directory() {
    return directory;
  }

  /** Lets the generation go: the next engine to start removes it. */
  @Override
  public void close() {
    try {
      lock.close();
    } catch (IOException ignored) {
      // Closing the channel lets the lock go whatever close reports.
    }
  }
}
