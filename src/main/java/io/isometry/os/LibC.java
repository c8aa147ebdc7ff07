package io.isometry.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The few C library calls the engine makes itself (JNA direct mapping; JNA comes with OSHI). Strings
 * are passed as UTF-8 {@link CStrings}, never in the platform's default encoding.
 */
final class LibC {

  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int EINTR = 4;
  static final int ESRCH = 3;
  static final int ENOENT = 2;
  static final int ENOTDIR = 20;
  static final int EINVAL = 22;
  static final int EIO = 5;
  static final int EAGAIN = 11;
  static final int O_RDWR = 2;
  static final int O_NONBLOCK = 0x800;
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;
  static final int F_DUPFD_CLOEXEC = 1030;
  static final int F_SETFD = 2;
  static final int FD_CLOEXEC = 1;
  static final int AT_FDCWD = -100;
  static final int AT_STATX_SYNC_AS_STAT = 0;
  static final int STATX_TYPE = 0x1;
  static final int STATX_MODE = 0x2;
  static final short POLLIN = 0x1;
  static final short POLLOUT = 0x4;
  /** The same number on x86_64 and arm64 (the generic ioctl table). */
  static final long TIOCSWINSZ = 0x5414;
  static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  static final short POSIX_SPAWN_SETSID = 0x80;
  /** Generous upper bounds of glibc's opaque types (336, 80 and 128 bytes on x86_64 and arm64). */
  static final int SPAWNATTR_BYTES = 512;
  static final int FILE_ACTIONS_BYTES = 256;
  static final int SIGSET_BYTES = 256;

  static {
    Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
  }

  private LibC() {
  }

  /** Loads the C library now, on the calling thread (see {@link SpawnerThread}); nothing else. */
  static void load() {
    // Calling this initialises the class, which registers its native methods.
  }

  static native int posix_spawn(IntByReference pid, Pointer path, Pointer fileActions, Pointer attributes,
                                Pointer argv, Pointer envp);

  static native int posix_spawn_file_actions_init(Pointer actions);

  static native int posix_spawn_file_actions_destroy(Pointer actions);

  static native int posix_spawn_file_actions_addopen(Pointer actions, int fd, Pointer path, int flags, int mode);

  static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

  static native int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path);

  static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

  static native int posix_spawnattr_init(Pointer attributes);

  static native int posix_spawnattr_destroy(Pointer attributes);

  static native int posix_spawnattr_setflags(Pointer attributes, short flags);

  static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

  static native int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

  static native int sigemptyset(Pointer set);

  static native int sigfillset(Pointer set);

  static native int pipe2(int[] fds, int flags) throws LastErrorException;

  static native int close(int fd);

  /** {@code fcntl} with an int argument (or none: pass 0). */
  static native int fcntl(int fd, int command, int argument) throws LastErrorException;

  static native int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

  /** {@code fds} points at {@code count} {@code struct pollfd} (int fd, short events, short revents). */
  static native int poll(Pointer fds, long count, int timeoutMs) throws LastErrorException;

  /** In libc since glibc 2.34 (libutil before); {@code winsize} may be NULL. */
  static native int openpty(int[] master, int[] slave, Pointer name, Pointer termios, Pointer winsize)
      throws LastErrorException;

  static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

  static native long read(int fd, Pointer buffer, long count) throws LastErrorException;

  static native int waitpid(int pid, int[] status, int options) throws LastErrorException;

  static native int kill(int pid, int signal) throws LastErrorException;

  /** Without LastErrorException: a failure is an answer here, read with Native.getLastError(). */
  static native long readlink(byte[] path, Pointer buffer, long size);

  /** Without LastErrorException: a failure is an answer here (the file cannot be examined). */
  static native int statx(int directoryFd, byte[] path, int flags, int mask, Pointer buffer);

  static native Pointer strerror(int errno);

  static String describe(int errno) {
    Pointer text = strerror(errno);
    return text == null ? "errno " + errno : text.getString(0, "UTF-8");
  }
}
