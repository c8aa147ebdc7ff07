package io.isometry.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One generation of the sandbox's {@code /etc} ({@code etc-<random>}) and the lock that says an
 * engine is using it: an advisory lock on {@code etc-<random>.lock} beside it, held for the engine's
 * life and let go by the kernel when the engine dies, however it dies. Two engines that share a
 * workspace root each remove only the generations nobody holds, never the other's.
 */
final class EtcGeneration implements AutoCloseable {

  static final String LOCK_SUFFIX = ".lock";

  private final Path directory;
  private final FileChannel channel;

  private EtcGeneration(Path directory, FileChannel channel) {
    this.directory = directory;
    this.channel = channel;
  }

  /**
   * Takes the lock of a new generation named {@code directory}, whose lock file must not exist yet:
   * the lock comes first, so that no other engine ever sees the generation's directory unheld.
   */
  static EtcGeneration claim(Path directory) throws IOException {
    FileChannel channel = FileChannel.open(lockOf(directory), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      channel.lock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return new EtcGeneration(directory, channel);
  }

  /**
   * Runs {@code removal} on the generation {@code directory} while holding its lock, when no engine
   * holds it (this one included); answers whether it ran.
   */
  static boolean removeIfUnheld(Path directory, Removal removal) throws IOException {
    try (FileChannel channel = FileChannel.open(lockOf(directory), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldInThisProcess) {
        return false;
      }
      if (lock == null) {
        return false;
      }
      removal.remove(directory);
      java.nio.file.Files.deleteIfExists(lockOf(directory));
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
      channel.close();
    } catch (IOException ignored) {
      // Closing lets the lock go whatever close reports.
    }
  }
}
