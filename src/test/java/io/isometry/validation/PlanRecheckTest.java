package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Judged at submit, used at start: a plan judged while the workspace was harmless is refused when
 * the workspace changed under it before it left the queue, and passes when nothing changed.
 */
class PlanRecheckTest {

  @TempDir
  Path temp;
  private Path root;
  private Path outside;
  private SecurityPolicy policy;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(temp.resolve("ws"));
    outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret\n");
    Files.createDirectories(root.resolve("data"));
    Files.createDirectories(root.resolve(".git/hooks"));
    Files.writeString(root.resolve("data/notes.txt"), "notes\n");
    Files.writeString(root.resolve("prog.awk"), "{ print $1 }\n");
    policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
            .put("workspace", root.toString())
            .put("security", new JsonObject().put("allowedCommands",
                new JsonArray().add("cat").add("awk").add("touch").add("cp"))))),
        new ServerEnvironment("/usr/bin:/bin", "/home/engine", "engine"));
  }

  @Test
  void anUnchangedPlanStillRuns() {
    ExecutionPlan plan = plan("cat notes.txt", "data");

    assertThat(policy.recheck(plan)).isEmpty();
    assertThat(policy.recheck(plan("awk -f prog.awk data/notes.txt", "."))).isEmpty();
  }

  @Test
  void aWorkingDirectorySwappedForALinkOutIsRefused() throws IOException {
    ExecutionPlan plan = plan("cat notes.txt", "data");
    swapForLink(root.resolve("data"), outside);

    assertThat(policy.recheck(plan)).extracting(Violation::type).contains(ViolationType.UNAUTHORIZED_FILE_ACCESS);
  }

  @Test
  void aFileSwappedForALinkOutIsRefused() throws IOException {
    ExecutionPlan plan = plan("cat data/notes.txt", ".");
    Files.delete(root.resolve("data/notes.txt"));
    Files.createSymbolicLink(root.resolve("data/notes.txt"), outside.resolve("secret.txt"));

    assertThat(policy.recheck(plan)).extracting(Violation::type).containsExactly(ViolationType.UNAUTHORIZED_FILE_ACCESS);
  }

  @Test
  void aDirectoryOfAWriteSwappedForALinkIntoGitIsRefused() throws IOException {
    ExecutionPlan plan = plan("touch data/pre-commit", ".");
    swapForLink(root.resolve("data"), root.resolve(".git/hooks"));

    assertThat(policy.recheck(plan)).singleElement().satisfies(violation ->
        assertThat(violation.detail().getBoolean("gitDirectory")).isTrue());
  }

  @Test
  void aScriptRewrittenWhileQueuedIsJudgedAgain() throws IOException {
    ExecutionPlan plan = plan("awk -f prog.awk data/notes.txt", ".");
    Files.writeString(root.resolve("prog.awk"), "{ system(\"id\") }\n");

    assertThat(policy.recheck(plan)).extracting(Violation::type).containsExactly(ViolationType.ARGUMENT_INJECTION);
  }

  @Test
  void aPlanIsJudgedInItsOwnersWorkspaceNotTheRoot() throws IOException {
    Path alice = Files.createDirectories(temp.resolve("alice"));
    Files.writeString(alice.resolve("mine.txt"), "mine\n");
    ExecutionPlan plan = new ExecutionPlan(List.of("/usr/bin/cat", "mine.txt"), ".", Map.of(), alice.toString());
    Files.delete(alice.resolve("mine.txt"));
    Files.createSymbolicLink(alice.resolve("mine.txt"), root.resolve("data/notes.txt"));

    assertThat(policy.recheck(plan)).extracting(Violation::type).contains(ViolationType.UNAUTHORIZED_FILE_ACCESS);
  }

  @Test
  void aPlanWithoutAWorkspaceNeverRuns() {
    ExecutionPlan plan = new ExecutionPlan(List.of("/usr/bin/cat", "notes.txt"), "data", Map.of(), null);

    assertThat(policy.recheck(plan)).extracting(Violation::type).containsExactly(ViolationType.INVALID_REQUEST);
  }

  @Test
  void anExecutableNoLongerAllowedIsRefused() {
    ExecutionPlan plan = new ExecutionPlan(List.of("/bin/sh", "-c", "id"), ".", Map.of(), root.toString());

    assertThat(policy.recheck(plan)).extracting(Violation::type).contains(ViolationType.COMMAND_NOT_ALLOWED);
  }

  private ExecutionPlan plan(String command, String cwd) {
    ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", command)
        .put("cwd", cwd)));
    assertThat(result.violations()).as(command).isEmpty();
    return ExecutionPlan.fromJson(result.plan().toJson());
  }

  private static void swapForLink(Path directory, Path target) throws IOException {
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
    Files.createSymbolicLink(directory, target);
  }
}
