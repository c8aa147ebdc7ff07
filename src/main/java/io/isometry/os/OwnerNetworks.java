package io.isometry.os;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One network namespace per owner, with its loopback up and nothing else, kept for the engine's life
 * (held by a descriptor) and joined by the spawner thread for each spawn of that owner: the child is
 * born in the namespace of the thread that forks it, so a sandbox started from there needs no network
 * namespace of its own. A fresh one per child ({@code bwrap --unshare-net}) cost about 2 ms of each
 * sandbox's setup, and more CPU afterwards as the kernel tears it down (docs/confinement.md, "Costs").
 *
 * <p>Per owner, never shared between owners: a namespace's loopback and abstract unix sockets are a
 * channel between whatever runs in it. An owner's processes share theirs (they share a workspace too);
 * another owner's are out of reach. The namespaces are made by root (the engine), so the children,
 * whose user namespace is bubblewrap's, hold no capability over them: they cannot add an interface,
 * route or address, and the loopback is all there is.
 *
 * <p>{@code setns} of a network namespace acts on the calling thread alone, which a multi-threaded
 * process may do (unlike a mount or user namespace). Every method but {@link #close()} runs on the
 * spawner thread, as the engine (root): the placement enters before the spawner takes the run-as
 * user's identity and leaves after it has given it back.
 */
public final class OwnerNetworks implements AutoCloseable {

  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY_CLOEXEC = 0x80000;
  private static final int AF_INET = 2;
  private static final int SOCK_DGRAM_CLOEXEC = 2 | 0x80000;
  private static final long SIOCGIFFLAGS = 0x8913;
  private static final long SIOCSIFFLAGS = 0x8914;
  /** {@code struct ifreq}: the interface's name (16 bytes), then a union whose first short is the flags. */
  private static final int IFREQ_BYTES = 40;
  private static final int IFR_FLAGS_OFFSET = 16;
  private static final short IFF_UP = 0x1;
  private static final Path THREAD_NET = Path.of("/proc/thread-self/ns/net");
  private static final C LIBC = Native.load(Platform.C_LIBRARY_NAME, C.class);

  /** The calls this class makes that LibC does not map. */
  interface C extends Library {
    int unshare(int flags);

    int setns(int fd, int nstype);

    int open(String path, int flags);

    int socket(int domain, int type, int protocol);

    int ioctl(int fd, long request, Memory argument);

    int close(int fd);
  }

  /** A namespace held open, and its identity as {@code /proc} names it ({@code net:[inode]}). */
  private record Namespace(int fd, String id) {
  }

  private final Namespace host;
  private final Map<String, Namespace> owners = new ConcurrentHashMap<>();

  private OwnerNetworks(Namespace host) {
    this.host = host;
  }

  /**
   * Holds the spawner thread's own (the host's) namespace and makes a first one, to find out now
   * whether this engine may (it must be root). Blocking.
   *
   * @throws IOException naming what failed: the engine then gives each sandbox a fresh namespace
   */
  public static OwnerNetworks open(SpawnerThread spawner) throws IOException {
    return spawner.asEngine(() -> {
      OwnerNetworks networks = new OwnerNetworks(current());
      ThreadPlacement first = networks.of(".start");
      try {
        first.enter();
      } catch (IOException | RuntimeException e) {
        networks.close();
        throw e;
      } finally {
        first.leave();
      }
      networks.forget(".start");
      return networks;
    });
  }

  /**
   * Puts the calling (spawner) thread in {@code owner}'s namespace, made on first use; {@code leave}
   * puts it back in the host's. A failure to enter fails the spawn.
   */
  public ThreadPlacement of(String owner) {
    return new ThreadPlacement() {
      @Override
      public void enter() throws IOException {
        Namespace namespace = owners.get(owner);
        if (namespace == null) {
          namespace = make();
          owners.put(owner, namespace);
        } else {
          join(namespace);
        }
      }

      @Override
      public void leave() throws IOException {
        join(host);
      }
    };
  }

  /**
   * Whether the calling thread stands in {@code owner}'s namespace now: checked just before a spawn
   * that relies on it, so that a child is never started in any other (the host's above all) because
   * some step before went wrong.
   */
  public boolean joined(String owner) {
    Namespace namespace = owners.get(owner);
    try {
      return namespace != null && Files.readSymbolicLink(THREAD_NET).toString().equals(namespace.id());
    } catch (IOException e) {
      return false;
    }
  }

  /** Closes one owner's namespace (the kernel frees it once no process is left in it). */
  public void forget(String owner) {
    Namespace namespace = owners.remove(owner);
    if (namespace != null) {
      LIBC.close(namespace.fd());
    }
  }

  /** A new namespace, which the calling thread is left in, with its loopback up. */
  private static Namespace make() throws IOException {
    if (LIBC.unshare(CLONE_NEWNET) != 0) {
      throw new IOException("unshare(CLONE_NEWNET): " + LibC.describe(Native.getLastError()));
    }
    Namespace made = current();
    try {
      loopbackUp();
    } catch (IOException e) {
      LIBC.close(made.fd());
      throw e;
    }
    return made;
  }

  private static Namespace current() throws IOException {
    int fd = LIBC.open(THREAD_NET.toString(), O_RDONLY_CLOEXEC);
    if (fd < 0) {
      throw new IOException("open " + THREAD_NET + ": " + LibC.describe(Native.getLastError()));
    }
    return new Namespace(fd, Files.readSymbolicLink(THREAD_NET).toString());
  }

  private static void join(Namespace namespace) throws IOException {
    if (LIBC.setns(namespace.fd(), CLONE_NEWNET) != 0) {
      throw new IOException("setns(" + namespace.id() + "): " + LibC.describe(Native.getLastError()));
    }
  }

  /** {@code ip link set lo up}, on the calling thread's namespace: a socket is made in its creator's. */
  private static void loopbackUp() throws IOException {
    int socket = LIBC.socket(AF_INET, SOCK_DGRAM_CLOEXEC, 0);
    if (socket < 0) {
      throw new IOException("socket: " + LibC.describe(Native.getLastError()));
    }
    try (Memory request = new Memory(IFREQ_BYTES)) {
      request.clear();
      request.write(0, "lo".getBytes(StandardCharsets.US_ASCII), 0, 2);
      if (LIBC.ioctl(socket, SIOCGIFFLAGS, request) != 0) {
        throw new IOException("SIOCGIFFLAGS lo: " + LibC.describe(Native.getLastError()));
      }
      request.setShort(IFR_FLAGS_OFFSET, (short) (request.getShort(IFR_FLAGS_OFFSET) | IFF_UP));
      if (LIBC.ioctl(socket, SIOCSIFFLAGS, request) != 0) {
        throw new IOException("SIOCSIFFLAGS lo up: " + LibC.describe(Native.getLastError()));
      }
    } finally {
      LIBC.close(socket);
    }
  }

  /** Lets every namespace go; call once the spawner thread has stopped. */
  @Override
  public void close() {
    for (String owner : owners.keySet()) {
      forget(owner);
    }
    LIBC.close(host.fd());
  }
}
