package io.isometry.engine;

import io.isometry.os.ExclusiveLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One engine per data dir: an exclusive OS lock on {@code dataDir/engine.lock} ({@link ExclusiveLock}),
 * held from before the journal opens until the engine has stopped. A second engine there, of this
 * process or another, would take the first one's running processes for leftovers of a crash and kill
 * them, and share its cgroups. Blocking: file I/O.
 */
final class DataDirLock {

  private static final String FILE_NAME = "engine.lock";

  private final ExclusiveLock lock;

  private DataDirLock(ExclusiveLock lock) {
    this.lock = lock;
  }

  /**
   * Creates the data dir if needed (private to the engine's user, as the journal would make it: the
   * plans it holds carry the children's environments) and locks it.
   *
   * @throws IllegalStateException when another engine, of this process or another, holds it
   */
  static DataDirLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path file = dataDir.resolve(FILE_NAME);
    ExclusiveLock lock = ExclusiveLock.tryTake(file,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    if (lock == null) {
      throw new IllegalStateException("another engine is using the data dir " + dataDir.toAbsolutePath()
          + " (lock " + file.toAbsolutePath() + ")");
    }
    return new DataDirLock(lock);
  }

  /** Releases the lock; the next engine may take the data dir. */
  void release() throws IOException {
    lock.close();
  }
}
