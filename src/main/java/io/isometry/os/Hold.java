package io.isometry.os;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/**
 * The engine's end of the pipe a held child waits on before it runs its command (bubblewrap's
 * {@code --seccomp}, which reads a system-call filter from it to its end). {@link #release()} writes
 * a filter that allows everything, and the command runs. The end of the pipe alone (the engine closed
 * it, or died) leaves an empty filter, which the kernel refuses before the command's {@code exec}:
 * bubblewrap exits with an error and the command never runs. Used by one thread at a time (the
 * sandbox's setup thread, once the spawner thread has handed it over).
 */
public final class Hold implements AutoCloseable {

  /**
   * A classic BPF program of one instruction, {@code BPF_RET | BPF_K} with {@code SECCOMP_RET_ALLOW}:
   * {@code struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}}, little-endian (x86_64 and arm64).
   */
  private static final byte[] ALLOW_EVERYTHING = {0x06, 0x00, 0x00, 0x00, 0x00, 0x00, (byte) 0xff, 0x7f};

  private int fd;

  Hold(int fd) {
    this.fd = fd;
  }

  /** Lets the child go on: the filter that allows every system call, then the end of the pipe. */
  public void release() throws IOException {
    if (fd < 0) {
      throw new IOException("the hold was already let go");
    }
    try {
      LibC.write(fd, ALLOW_EVERYTHING, ALLOW_EVERYTHING.length);
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
