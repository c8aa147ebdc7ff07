package io.isometry.os;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/**
 * The engine's end of the pipe a held child waits on before it runs its command (bubblewrap's
 * {@code --block-fd}). Bubblewrap goes on once it can read a byte <em>or</em> the end of the pipe:
 * so the engine kills a sandbox it cannot place before it lets go of this end ({@link #close()}),
 * never the other way round. Used by one thread (the spawner's).
 */
public final class Hold implements AutoCloseable {

  private int fd;

  Hold(int fd) {
    this.fd = fd;
  }

  /** Lets the child go on: one byte, then the end of the pipe. */
  public void release() throws IOException {
    if (fd < 0) {
      throw new IOException("the hold was already let go");
    }
    try {
      LibC.write(fd, new byte[] {1}, 1);
    } catch (LastErrorException e) {
      throw new IOException("cannot release the sandbox: " + LibC.describe(e.getErrorCode()), e);
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    if (fd >= 0) {
      LibC.close(fd);
      fd = -1;
    }
  }
}
