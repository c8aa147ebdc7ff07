package io.isometry.os;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * System calls that act on the calling thread alone. glibc's {@code setresuid()} and friends change
 * every thread of the process (they broadcast a signal so POSIX semantics hold); the raw system
 * calls change only the caller, which is what lets one dedicated thread spawn children under
 * another identity while the rest of the engine stays as it is.
 */
final class ThreadSyscalls {

  private static final int PR_SET_NO_NEW_PRIVS = 38;
  private static final int PR_CAP_AMBIENT = 47;
  private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
  private static final Numbers NUMBERS = Numbers.forThisMachine();
  private static final C C_LIBRARY = Native.load(Platform.C_LIBRARY_NAME, C.class);

  /** Interface mapping: {@code syscall} is variadic, which direct mapping cannot call. */
  interface C extends Library {
    long syscall(long number, Object... args);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);
  }

  /** The numbers of the calls we make, per architecture (they differ between x86_64 and arm64). */
  private record Numbers(long setgroups, long setresuid, long setresgid) {
    static Numbers forThisMachine() {
      if (Platform.isIntel() && Platform.is64Bit()) {
        return new Numbers(116, 117, 119);
      }
      if (Platform.isARM() && Platform.is64Bit()) {
        return new Numbers(159, 147, 149);
      }
      return null;
    }
  }

  private ThreadSyscalls() {
  }

  static boolean supported() {
    return NUMBERS != null;
  }

  static void setgroups(int[] groups) {
    call(NUMBERS.setgroups(), (long) groups.length, groups.length == 0 ? null : groups);
  }

  static void setresuid(int real, int effective, int saved) {
    call(NUMBERS.setresuid(), (long) real, (long) effective, (long) saved);
  }

  static void setresgid(int real, int effective, int saved) {
    call(NUMBERS.setresgid(), (long) real, (long) effective, (long) saved);
  }

  /** no_new_privs for this thread and everything it spawns: execve never grants privileges again. */
  static void noNewPrivileges() {
    if (C_LIBRARY.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
      throw new IllegalStateException("prctl(PR_SET_NO_NEW_PRIVS): " + LibC.describe(Native.getLastError()));
    }
  }

  /**
   * Clears this thread's ambient capabilities: they would survive the change of uid and pass to
   * every child (an engine started with AmbientCapabilities= by systemd has some).
   */
  static void clearAmbientCapabilities() {
    if (C_LIBRARY.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
      throw new IllegalStateException("prctl(PR_CAP_AMBIENT_CLEAR_ALL): " + LibC.describe(Native.getLastError()));
    }
  }

  private static long call(long number, Object... args) {
    long result = C_LIBRARY.syscall(number, args);
    if (result < 0) {
      throw new IllegalStateException("syscall " + number + ": " + LibC.describe(Native.getLastError()));
    }
    return result;
  }
}
