package io.isometry.sandbox;

import io.isometry.config.EngineConfig.SandboxNetwork;
import io.isometry.config.EngineConfig.SandboxSettings;
import io.isometry.os.OwnerNetworks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bubblewrap command line that confines one child. Every child gets new user, mount, pid, ipc,
 * uts and cgroup namespaces and, unless the operator chose the host's network, a network namespace
 * with nothing in it but a loopback: its owner's ({@link OwnerNetworks}), shared by that owner's
 * children only, or where the engine cannot make those, a fresh one of its own; the read-only root of {@link SandboxRoot}; a private
 * {@code /tmp} (tmpfs, charged by the kernel to the tree's memory cgroup), a minimal {@code /dev}
 * and the {@code /proc} of its own pid namespace; and its owner's workspace, read-write at the same
 * path as on the host, the only writable host path. No capabilities, no further user namespaces.
 *
 * <p>How the engine drives what it starts (see docs/confinement.md): bubblewrap forks the sandbox's
 * pid 1 (its reaper), which makes a new session and forks the command. So the spawned process (the
 * "monitor") is alone in its process group, while pid 1 and the command share the session and
 * process group whose id is pid 1's host pid, announced first on the status descriptor. SIGTERM goes
 * to that group (pid 1 of a pid namespace ignores it from outside: only the command and its
 * descendants act on it); SIGKILL to the monitor ends pid 1 ({@code --die-with-parent}) and with it
 * every process in the namespace, whatever group it moved to. The monitor exits with the command's
 * exit code, or 128 + the signal that killed it, and writes that code on the status descriptor once
 * the command ran: without that line the sandbox itself failed.
 */
public final class Sandbox {

  /** The descriptor the child's bubblewrap writes its JSON status on (one document per line). */
  public static final int STATUS_FD = 3;
  /**
   * The descriptor a held sandbox waits on ({@code --seccomp}): bubblewrap reads its system-call filter
   * from it, to the end, in the sandbox's pid 1 after every namespace and mount is made and before pid 1
   * forks the command, so whatever the engine does to pid 1 meanwhile (move it into its cgroups) holds
   * from the command's first instruction, and the command runs only once the engine lets it (once its
   * run's journal mark has committed). Not {@code --block-fd}, which waits at the same point but
   * goes on at the end of the pipe too: an engine killed while it held a sandbox would let its command
   * start. An empty filter is refused before the command's {@code exec} ({@link io.isometry.os.Hold}).
   */
  public static final int HOLD_FD = 4;

  private final String tool;
  private final String version;
  private final List<String> namespaces;
  private final SandboxNetwork network;
  private final List<String> fixed;
  private final Path etc;

  private final OwnerNetworks networks;
  private final SandboxRoot root;

  /**
   * @param networks the owners' network namespaces children join, or null: then each sandbox makes a
   *     fresh one of its own (when {@code sandbox.network} is {@code none})
   */
  Sandbox(String tool, String version, SandboxSettings settings, SandboxRoot root, boolean disableUserns,
          OwnerNetworks networks) {
    this.tool = tool;
    this.version = version;
    this.network = settings.network();
    this.etc = root.etc();
    this.root = root;
    this.networks = network == SandboxNetwork.NONE ? networks : null;
    List<String> unshared = new ArrayList<>(List.of("user", "mount", "pid", "ipc", "uts", "cgroup"));
    List<String> arguments = new ArrayList<>(List.of(
        "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup",
        "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "isometry"));
    if (disableUserns) {
      arguments.add("--disable-userns");
    }
    if (network == SandboxNetwork.NONE) {
      // --unshare-net is added per child by wrap, unless it runs in its owner's namespace.
      unshared.add("network");
    }
    // The private /tmp first: a search-path directory or a workspace under the host's /tmp is bound on top.
    // /dev/shm gets the same bound as /tmp: bubblewrap's own /dev would let it take half the RAM.
    arguments.addAll(List.of("--proc", "/proc", "--dev", "/dev",
        "--size", Long.toString(settings.tmpBytes()), "--tmpfs", "/dev/shm",
        "--size", Long.toString(settings.tmpBytes()), "--tmpfs", "/tmp", "--symlink", "../tmp", "/var/tmp"));
    arguments.addAll(root.arguments());
    arguments.addAll(List.of("--json-status-fd", Integer.toString(STATUS_FD)));
    this.namespaces = List.copyOf(unshared);
    this.fixed = List.copyOf(arguments);
  }

  /**
   * The command line that runs {@code argv} confined, in {@code cwd}, with {@code workspace} (its
   * owner's) the only host directory it may write.
   */
  public List<String> wrap(List<String> argv, Path workspace, Path cwd) {
    return wrap(argv, workspace, cwd, false);
  }

  /** As {@link #wrap(List, Path, Path)}; {@code held}, the sandbox waits on {@link #HOLD_FD} before it runs the command. */
  public List<String> wrap(List<String> argv, Path workspace, Path cwd, boolean held) {
    return wrap(argv, workspace, cwd, held, false);
  }

  /**
   * As {@link #wrap(List, Path, Path, boolean)}; {@code inOwnerNetwork}: the caller has checked that
   * the spawning thread stands in the owner's network namespace ({@link OwnerNetworks#joined}), and the
   * sandbox stays in it. Otherwise, with {@code sandbox.network} {@code none}, the sandbox makes a
   * fresh one: a child never gets the host's network by mistake.
   */
  public List<String> wrap(List<String> argv, Path workspace, Path cwd, boolean held, boolean inOwnerNetwork) {
    List<String> wrapped = new ArrayList<>(fixed.size() + argv.size() + 11);
    wrapped.add(tool);
    wrapped.addAll(fixed);
    if (network == SandboxNetwork.NONE && !inOwnerNetwork) {
      wrapped.add("--unshare-net");
    }
    if (held) {
      wrapped.addAll(List.of("--seccomp", Integer.toString(HOLD_FD)));
    }
    // The root (bubblewrap's tmpfs, holding the mount points) goes read-only last, once every mount
    // point exists: only the workspace, /tmp and /dev/shm stay writable.
    wrapped.addAll(List.of("--bind", workspace.toString(), workspace.toString(), "--remount-ro", "/",
        "--chdir", cwd.toString(), "--"));
    wrapped.addAll(argv);
    return wrapped;
  }

  public String tool() {
    return tool;
  }

  public String version() {
    return version;
  }

  /** The namespaces every child gets new: {@code user}, {@code mount}, {@code pid}, … */
  public List<String> namespaces() {
    return namespaces;
  }

  public SandboxNetwork network() {
    return network;
  }

  /** The owners' network namespaces children are spawned in, or null when each sandbox makes its own. */
  public OwnerNetworks networks() {
    return networks;
  }

  /** The host directory every sandbox binds read-only as its {@code /etc} (see {@link SandboxEtc}). */
  public Path etc() {
    return etc;
  }

  /** Lets go what it holds for the engine's life: the owners' network namespaces and its {@code /etc}. */
  void close() {
    if (networks != null) {
      networks.close();
    }
    root.close();
  }
}
