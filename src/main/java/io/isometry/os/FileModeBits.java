package io.isometry.os;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;

/**
 * The mode of a file ({@code st_mode}: its type and permission bits), links followed as exec follows
 * them: one {@code statx(2)} asking for the type and mode only, into a native buffer of the thread's own. The
 * JDK's attribute views build a map of every attribute for the same answer, and the validator asks
 * it of the executable on every request and again as the request starts.
 */
public final class FileModeBits {

  /** {@code struct statx} is 256 bytes on every Linux architecture; its {@code stx_mode} is at byte 28. */
  private static final int STATX_BYTES = 256;
  private static final int MODE_OFFSET = 28;
  private static final ThreadLocal<Memory> BUFFERS = ThreadLocal.withInitial(() -> new Memory(STATX_BYTES));

  private FileModeBits() {
  }

  /**
   * @param path an absolute path without NUL, in UTF-8
   * @return the file's {@code st_mode}, or -1 when it cannot be examined (missing, not searchable, a
   *     loop of links, ...): the caller decides what that means, and fails closed
   */
  public static int of(String path) {
    byte[] name = (path + '\0').getBytes(StandardCharsets.UTF_8);
    Memory buffer = BUFFERS.get();
    if (LibC.statx(LibC.AT_FDCWD, name, LibC.AT_STATX_SYNC_AS_STAT, LibC.STATX_TYPE | LibC.STATX_MODE, buffer) != 0) {
      return -1;
    }
    return Short.toUnsignedInt(buffer.getShort(MODE_OFFSET));
  }
}
