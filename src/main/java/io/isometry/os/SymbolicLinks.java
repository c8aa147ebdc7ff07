package io.isometry.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What one {@code readlink(2)} says about a path: a symbolic link and where it points, an entry
 * that is not a link, or nothing there. One system call and no exception for the common answers,
 * where the JDK answers "not a link" and "missing" by throwing: the validator asks this for every
 * component of every path a request names, on every request.
 */
public final class SymbolicLinks {

  /** Linux's PATH_MAX: no link target is longer. */
  private static final int MAX_TARGET = 4096;

  /** What is at a path, its final component not followed. */
  public enum Kind {
    LINK,
    NOT_A_LINK,
    /** Nothing: the path or a directory on its way does not exist, or is not a directory. */
    MISSING
  }

  /** @param target where a {@link Kind#LINK} points, as written in it; null for the other kinds */
  public record Entry(Kind kind, String target) {
  }

  /**
   * Where readlink writes, one native buffer per thread: a fresh 4 KiB Java array per call was
   * almost all of what a validation allocated, and JNA copied it in and out of native memory.
   */
  private static final ThreadLocal<Memory> TARGETS = ThreadLocal.withInitial(() -> new Memory(MAX_TARGET));

  private static final Entry NOT_A_LINK = new Entry(Kind.NOT_A_LINK, null);
  private static final Entry MISSING = new Entry(Kind.MISSING, null);

  private SymbolicLinks() {
  }

  /**
   * @param path an absolute path without NUL, names in UTF-8 (as the engine passes argv to children)
   * @throws IOException for any other answer of the kernel (a directory that cannot be searched, a
   *     name too long, a loop on the way, ...): the caller cannot tell where the path leads
   */
  public static Entry at(String path) throws IOException {
    byte[] name = (path + '\0').getBytes(StandardCharsets.UTF_8);
    Memory target = TARGETS.get();
    long length = LibC.readlink(name, target, MAX_TARGET);
    if (length >= 0) {
      if (length >= MAX_TARGET) {
        throw new IOException(path + ": link target too long");
      }
      return new Entry(Kind.LINK, new String(target.getByteArray(0, (int) length), StandardCharsets.UTF_8));
    }
    int errno = Native.getLastError();
    return switch (errno) {
      case LibC.EINVAL -> NOT_A_LINK;
      case LibC.ENOENT, LibC.ENOTDIR -> MISSING;
      default -> throw new IOException(path + ": " + LibC.describe(errno));
    };
  }
}
