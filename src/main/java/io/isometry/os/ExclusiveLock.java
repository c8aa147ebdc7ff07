package io.isometry.os;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive OS lock on a file, held until {@link #close()}; the kernel drops it with the process
 * that held it, so a crash never leaves a stale one behind (a pid file would). Blocking: file I/O.
 *
 * <p>POSIX locks belong to the process, not to the channel: a second channel's {@code tryLock} on a
 * file this process holds throws, and <em>closing</em> that channel drops the holder's lock. So the
 * files this JVM holds are kept here (by their directory's device and inode and their name, whatever
 * path they were named by), and no one in this JVM opens a file held here.
 */
public final class ExclusiveLock implements AutoCloseable {

  private static final Set<Object> HELD = ConcurrentHashMap.newKeySet();

  private final Object key;
  private final FileChannel channel;

  private ExclusiveLock(Object key, FileChannel channel) {
    this.key = key;
    this.channel = channel;
  }

  /**
   * Locks {@code file}, made (with {@code attributes}) when missing.
   *
   * @return the lock, or null when someone holds it: this JVM or another process
   */
  public static ExclusiveLock tryTake(Path file, FileAttribute<?>... attributes) throws IOException {
    Object key = key(file);
    if (!HELD.add(key)) {
      return null;
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), attributes);
      if (channel.tryLock() == null) {
        forget(key, channel);
        return null;
      }
      return new ExclusiveLock(key, channel);
    } catch (IOException | RuntimeException e) {
      forget(key, channel);
      throw e;
    }
  }

  /** Lets the lock go. */
  @Override
  public void close() throws IOException {
    forget(key, channel);
  }

  private static Object key(Path file) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    return List.of(Files.readAttributes(directory, BasicFileAttributes.class).fileKey(), file.getFileName().toString());
  }

  /**
   * The channel is closed before the key goes: once the key has gone, someone else in this JVM may
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
}
