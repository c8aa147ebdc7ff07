package io.isometry.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/** Flags and waits on raw file descriptors, for the pipes and terminals the engine keeps an end of. */
final class Descriptors {

  private static final int POLLFD_BYTES = 8;

  private Descriptors() {
  }

  /** Makes writes (and reads) on {@code fd}'s open file description return EAGAIN instead of blocking. */
  static void nonBlocking(int fd) {
    LibC.fcntl(fd, LibC.F_SETFL, LibC.fcntl(fd, LibC.F_GETFL, 0) | LibC.O_NONBLOCK);
  }

  /** Keeps {@code fd} out of every program the engine (or a library in it) ever execs. */
  static void closeOnExec(int fd) {
    LibC.fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC);
  }

  /** A second descriptor of the same open file description, close-on-exec. */
  static int duplicate(int fd) {
    return LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, 0);
  }

  /**
   * Waits up to {@code timeoutMs} (-1: without end) for {@code fd} to be ready for {@code events}
   * ({@link LibC#POLLIN}, {@link LibC#POLLOUT}); true when it is, or when it has an error or a hang-up
   * to report (the next read or write says which).
   */
  static boolean await(int fd, short events, int timeoutMs) {
    Memory pollFd = new Memory(POLLFD_BYTES);
    pollFd.setInt(0, fd);
    pollFd.setShort(4, events);
    pollFd.setShort(6, (short) 0);
    try {
      return LibC.poll(pollFd, 1, timeoutMs) > 0;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == LibC.EINTR) {
        return false;
      }
      throw e;
    }
  }
}
