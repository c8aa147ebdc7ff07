package io.isometry.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/** Pseudo-terminals: opened with {@code openpty(3)}, sized with {@code TIOCSWINSZ}. */
final class Terminals {

  /** {@code struct winsize}: four unsigned shorts, rows first. */
  private static final int WINSIZE_BYTES = 8;

  /**
   * A new terminal's ends, all close-on-exec (the slave's copies in a child are made by dup2): the
   * master for the writer, a second descriptor of it for the reader (each closes its own), the slave.
   */
  record Pair(int master, int reader, int slave) {
  }

  private Terminals() {
  }

  static Pair open(int cols, int rows) throws SpawnException {
    int[] master = new int[1];
    int[] slave = new int[1];
    try {
      LibC.openpty(master, slave, null, null, size(cols, rows));
    } catch (LastErrorException e) {
      throw new SpawnException("cannot open a pseudo-terminal: " + LibC.describe(e.getErrorCode()));
    }
    try {
      Descriptors.closeOnExec(master[0]);
      Descriptors.closeOnExec(slave[0]);
      return new Pair(master[0], Descriptors.duplicate(master[0]), slave[0]);
    } catch (LastErrorException e) {
      LibC.close(master[0]);
      LibC.close(slave[0]);
      throw new SpawnException("cannot prepare a pseudo-terminal: " + LibC.describe(e.getErrorCode()));
    }
  }

  /** Sets the window size; the kernel sends SIGWINCH to the terminal's foreground process group. */
  static void resize(int fd, int cols, int rows) {
    LibC.ioctl(fd, LibC.TIOCSWINSZ, size(cols, rows));
  }

  private static Memory size(int cols, int rows) {
    Memory winsize = new Memory(WINSIZE_BYTES);
    winsize.clear();
    winsize.setShort(0, (short) rows);
    winsize.setShort(2, (short) cols);
    return winsize;
  }
}
