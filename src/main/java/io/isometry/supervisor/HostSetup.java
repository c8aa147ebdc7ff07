package io.isometry.supervisor;

import io.isometry.auth.Credentials;
import io.isometry.config.EngineConfig;
import io.isometry.os.CgroupV1;
import io.isometry.os.Identity;
import io.isometry.sandbox.Workspaces;
import io.isometry.validation.ExecuteAccess;
import io.isometry.validation.SecurityPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the supervisor's start finds out from the machine, off the event loop (file system, /proc,
 * name lookups): the node's name, the enforcement, and the policy plans are re-judged by.
 */
record HostSetup(String node, Enforcement enforcement, SecurityPolicy policy) {

  /** Blocking: checks and prepares the workspace, detects the enforcement, reads the policy. */
  static HostSetup prepare(EngineConfig config) throws IOException {
    Files.createDirectories(config.workspace());
    refuseUnreachableWorkspace(config);
    Enforcement enforcement = Enforcement.detect(config, CgroupV1.scopeFor(config.dataDir()));
    prepareWorkspaces(config, enforcement);
    return new HostSetup(config.node(), enforcement, SecurityPolicy.create(config));
  }

  /**
   * The workspaces of the principals the configuration names (or of the engine's own, when it makes
   * its token), so that their users find them there to put files in before their first command.
   * Other principals (a host's own) get theirs on first use.
   */
  private static void prepareWorkspaces(EngineConfig config, Enforcement enforcement) throws IOException {
    Workspaces workspaces = new Workspaces(config.workspace(), enforcement.runAs);
    List<String> principals = config.auth().tokens().isEmpty() ? List.of(Credentials.LOCAL_PRINCIPAL)
        : config.auth().tokens().stream().map(EngineConfig.Token::principal).distinct().toList();
    for (String principal : principals) {
      workspaces.ensure(principal);
    }
  }

  /**
   * Children run as the run-as user in {@code <workspace>/<owner>}: when that user cannot pass
   * through to the workspace, every command would be accepted and then fail. The engine refuses to
   * start instead, naming the directory and the fix.
   */
  private static void refuseUnreachableWorkspace(EngineConfig config) throws IOException {
    Identity runAs = Identity.ofChildren(config.runAs());
    Path root = config.workspace().toAbsolutePath().normalize();
    Optional<String> why = ExecuteAccess.searchRefusal(root, runAs);
    if (why.isPresent()) {
      throw new IllegalStateException("the workspace " + root + " cannot be reached by " + runAs.name()
          + ", the user commands run as: " + why.get() + "; make every directory on the way searchable by it"
          + " (chmod o+x), or set 'workspace' to a directory it can reach");
    }
  }
}
