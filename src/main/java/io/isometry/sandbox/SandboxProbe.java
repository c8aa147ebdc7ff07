package io.isometry.sandbox;

import io.isometry.config.EngineConfig;
import io.isometry.config.EngineConfig.SandboxMode;
import io.isometry.config.EngineConfig.SandboxNetwork;
import io.isometry.os.ChildProcess;
import io.isometry.os.Identity;
import io.isometry.os.OwnerNetworks;
import io.isometry.os.PosixSpawner;
import io.isometry.os.Reaper;
import io.isometry.os.SpawnerThread;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds out at start whether children can be confined: bubblewrap is installed, and a sandbox made
 * exactly as children's will be (as the run-as user, with every namespace, the root, the private
 * {@code /tmp}) runs {@code true} to success. {@code auto} falls back to unconfined children with the
 * reason; {@code required} refuses to start, naming what is missing. Blocking.
 */
public final class SandboxProbe {

  private static final List<String> BWRAP = List.of("/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap");
  /** bubblewrap 0.8 added --disable-userns (no user namespaces inside the sandbox). */
  private static final int[] DISABLE_USERNS_SINCE = {0, 8, 0};
  private static final long PROBE_SECONDS = 10;
  /** Not a principal's name (those never start with a dot): the probe's own network namespace. */
  private static final String PROBE_OWNER = ".probe";

  private SandboxProbe() {
  }

  /**
   * @param spawner the thread that spawns children (as the run-as user)
   * @param runAs who children run as, or null for the engine's own user
   * @throws IOException when {@code sandbox.mode} is {@code required} and no sandbox can be made
   */
  public static Confinement detect(EngineConfig config, SpawnerThread spawner, Identity runAs) throws IOException {
    EngineConfig.SandboxSettings settings = config.sandbox();
    if (settings.mode() == SandboxMode.OFF) {
      return new Confinement(SandboxMode.OFF, null, "sandbox.mode is off: children run unconfined");
    }
    String tool = BWRAP.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst().orElse(null);
    if (tool == null) {
      return unavailable(settings.mode(), "bubblewrap is not installed (Debian package 'bubblewrap', command bwrap)");
    }
    String version = version(tool);
    Workspaces workspaces = new Workspaces(config.workspace(), runAs);
    workspaces.prepareRoot();
    Path files = workspaces.root().resolve(".sandbox");
    SandboxRoot root = SandboxRoot.prepare(files, Arrays.asList(config.security().searchPath().split(":")),
        runAs, Identity.engine());
    String[] networksWhy = new String[1];
    OwnerNetworks networks = settings.network() == SandboxNetwork.NONE ? ownerNetworks(spawner, networksWhy) : null;
    Sandbox sandbox = new Sandbox(tool, version, settings, root, atLeast(version, DISABLE_USERNS_SINCE), networks);
    String failure = tryOnce(sandbox, spawner, probeDirectory(files, runAs), tool);
    if (failure != null) {
      sandbox.close();
      return unavailable(settings.mode(), "a test sandbox failed: " + failure);
    }
    String loopback = settings.network() == SandboxNetwork.HOST ? ""
        : networks != null ? "; each owner's children share a network namespace of that owner's (loopback only)"
        : "; each child gets a network namespace of its own (loopback only): " + networksWhy[0];
    return new Confinement(settings.mode(), sandbox, "bubblewrap " + version + " made a test sandbox as "
        + (runAs == null ? Identity.engine().name() : runAs.name()) + " at start" + loopback);
  }

  /**
   * The owners' network namespaces, or null (with why) where the engine may not make them (it is not
   * root): then each sandbox makes a fresh one, which costs more and isolates as much.
   */
  private static OwnerNetworks ownerNetworks(SpawnerThread spawner, String[] why) throws IOException {
    if (!Identity.engineIsRoot()) {
      why[0] = "the engine is not root, and only root may keep namespaces for its children to join";
      return null;
    }
    try {
      return OwnerNetworks.open(spawner);
    } catch (IOException e) {
      why[0] = "the engine could not make a network namespace to share (" + e.getMessage() + ")";
      return null;
    }
  }

  private static Confinement unavailable(SandboxMode mode, String why) throws IOException {
    if (mode == SandboxMode.REQUIRED) {
      throw new IOException("sandbox.mode is 'required' but " + why);
    }
    return new Confinement(mode, null, why + "; children run unconfined");
  }

  /** Runs {@code true} (bubblewrap's own {@code --version} where there is none) in a sandbox. */
  private static String tryOnce(Sandbox sandbox, SpawnerThread spawner, Path workspace, String tool) {
    List<String> command = Files.isExecutable(Path.of("/usr/bin/true")) ? List.of("/usr/bin/true") : List.of(tool, "--version");
    OwnerNetworks networks = sandbox.networks();
    try {
      return spawner.submit(() -> networks == null ? null : networks.of(PROBE_OWNER), () -> {
        boolean joined = networks != null && networks.joined(PROBE_OWNER);
        if (networks != null && !joined) {
          return "the probe did not stand in the network namespace it was to share";
        }
        List<String> wrapped = sandbox.wrap(command, workspace, workspace, false, joined);
        ChildProcess child = new PosixSpawner().spawn(wrapped, Path.of("/"), Map.of("PATH", "/usr/bin:/bin"), true);
        String status = StatusPipe.rest(child.status());
        String errors = drain(child.stderr());
        drain(child.stdout());
        Reaper.await(child.pid());
        Integer code = SandboxExit.exitCode(status);
        if (code != null && code == 0) {
          return null;
        }
        return errors.isBlank() ? "bubblewrap exited without running the command" : errors.strip();
      }).get(PROBE_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    } catch (TimeoutException e) {
      return "no answer within " + PROBE_SECONDS + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } finally {
      if (networks != null) {
        spawner.submit(() -> null, () -> {
          networks.forget(PROBE_OWNER);
          return null;
        });
      }
    }
  }

  private static Path probeDirectory(Path files, Identity runAs) throws IOException {
    Path probe = files.resolve("probe");
    Files.createDirectories(probe);
    if (runAs != null) {
      Files.setOwner(probe, probe.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs.name()));
    }
    return probe;
  }

  private static String version(String tool) throws IOException {
    Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
    try (InputStream out = process.getInputStream()) {
      String text = new String(out.readNBytes(1024), StandardCharsets.UTF_8).strip();
      process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS);
      // "bubblewrap 0.8.0"
      return text.startsWith("bubblewrap ") ? text.substring("bubblewrap ".length()) : text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + tool + " its version", e);
    } finally {
      process.destroy();
    }
  }

  private static boolean atLeast(String version, int[] wanted) {
    String[] parts = version.split("[^0-9]+");
    List<Integer> numbers = new ArrayList<>();
    for (String part : parts) {
      if (!part.isEmpty()) {
        numbers.add(Integer.parseInt(part));
      }
    }
    for (int i = 0; i < wanted.length; i++) {
      int have = i < numbers.size() ? numbers.get(i) : 0;
      if (have != wanted[i]) {
        return have > wanted[i];
      }
    }
    return true;
  }

  private static String drain(InputStream stream) throws IOException {
    try (stream) {
      return new String(stream.readNBytes(4096), StandardCharsets.UTF_8);
    }
  }
}
