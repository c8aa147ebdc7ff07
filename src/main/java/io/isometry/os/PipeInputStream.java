package io.isometry.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The read end of a pipe (or a pseudo-terminal's master) as an {@link InputStream}; meant for one
 * reading thread. A terminal's master is non-blocking (its writer shares the open file description),
 * so a read that finds nothing waits in {@code poll(2)} instead; and once every copy of the terminal's
 * other end is closed, Linux answers EIO, which for a terminal is its end.
 */
final class PipeInputStream extends InputStream {

  private static final int BUFFER_BYTES = 64 * 1024;
  private final int fd;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Memory buffer;

  PipeInputStream(int fd) {
    this.fd = fd;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int read = read(one, 0, 1);
    return read < 0 ? -1 : one[0] & 0xFF;
  }

  /** Blocks until the pipe has bytes (returns up to {@code length} of them) or is at its end (-1). */
  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (closed.get()) {
      throw new IOException("closed");
    }
    if (buffer == null) {
      buffer = new Memory(BUFFER_BYTES);
    }
    while (true) {
      try {
        long read = LibC.read(fd, buffer, Math.min(length, BUFFER_BYTES));
        if (read <= 0) {
          return -1;
        }
        buffer.read(0, into, offset, (int) read);
        return (int) read;
      } catch (LastErrorException e) {
        if (e.getErrorCode() == LibC.EAGAIN) {
          Descriptors.await(fd, LibC.POLLIN, -1);
        } else if (e.getErrorCode() == LibC.EIO) {
          return -1;
        } else if (e.getErrorCode() != LibC.EINTR) {
          throw new IOException("read failed: " + LibC.describe(e.getErrorCode()), e);
        }
      }
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LibC.close(fd);
    }
  }
}
