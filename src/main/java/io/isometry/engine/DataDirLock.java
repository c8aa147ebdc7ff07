package io.isometry.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One engine per data dir: an exclusive OS lock on {@code dataDir/engine.lock}, held from before the
 * journal opens until the engine has stopped. A second engine there would take the first one's
 * running processes for leftovers of a crash and kill them, and share its cgroups. The kernel
 * drops the lock with the process that held it, so a crash never leaves a stale one behind (a pid
 * file would). Blocking: file I/O.
 */
final class DataDirLock {

  private static final String FILE_NAME = "engine.lock";

  /**
   * The data dirs (by device and inode, whatever name they were given) this JVM holds. POSIX locks
   * belong to the process: a second channel's tryLock would throw OverlappingFileLockException, and
   * closing that channel would drop the first engine's lock. So no engine of this JVM opens the lock
   * file of a dir held here.
   */
  private static final Set<Object> HELD = ConcurrentHashMap.newKeySet();

  private final Object key;
  private final FileChannel channel;

  private DataDirLock(Object key, FileChannel channel) {
    this.key = key;
    this.channel = channel;
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
    Object key = Files.readAttributes(dataDir, BasicFileAttributes.class).fileKey();
    if (!HELD.add(key)) {
      throw inUse(dataDir, file);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      if (channel.tryLock() == null) {
        throw inUse(dataDir, file);
      }
      return new DataDirLock(key, channel);
    } catch (IOException | RuntimeException e) {
      forget(key, channel);
      throw e;
    }
  }

  /** Releases the lock; the next engine may take the data dir. */
  void release() throws IOException {
    forget(key, channel);
  }

  /**
   * The channel is closed before the key goes: once the key has gone, another engine of this JVM may
   * lock the file through a channel of its own, which closing this one would unlock.
   */
  private static void forget(Object key, FileChannel channel) throws IOException {
    try {
      if (channel != null) {
        channel.close();
      }
    } finally {
      HELD.remove(key);
    }
  }

  private static IllegalStateException inUse(Path dataDir, Path file) {
    return new IllegalStateException("another engine is using the data dir " + dataDir.toAbsolutePath()
        + " (lock " + file.toAbsolutePath() + ")");
  }
}
