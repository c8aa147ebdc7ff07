package io.isometry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.Await;
import io.isometry.testing.EngineFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command-line client end to end, against a real engine, through picocli's entry point. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IsometryCliTest {

  private static final String TOKEN = "cli-test-token-0123456789";

  private Vertx vertx;
  private String url;
  private JsonObject config;

  /** One run of the client: its exit code and what it wrote. */
  record Outcome(int exitCode, String out, String err) {
  }

  @BeforeEach
  void start(@TempDir Path temp) throws Exception {
    vertx = Vertx.vertx();
    config = EngineFixture.config(temp, new JsonObject().put("node", "solo").put("http", new JsonObject().put("tcpBridgePort", -1))
        .put("auth", new JsonObject().put("tokens", new JsonArray()
            .add(new JsonObject().put("token", TOKEN).put("principal", "carol").put("role", "operator")))));
    int port = EngineFixture.deploy(vertx, config).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS).httpPort();
    url = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  void runStreamsStdoutAndStderrApartAndExitsWithTheCommandSCode() throws Exception {
    EngineFixture.script(config, "carol", "both.py", "import sys\nprint('to out')\nprint('to err', file=sys.stderr)\nsys.exit(3)\n");

    Outcome ok = cli("run", "seq 1 3");
    Outcome failing = cli("run", "python3 both.py");

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).isEqualTo("1\n2\n3\n");
    assertThat(failing.exitCode()).isEqualTo(3);
    assertThat(failing.out()).isEqualTo("to out\n");
    assertThat(failing.err()).isEqualTo("to err\n");
  }

  @Test
  void nodesListsTheClusterAndRunTakesTheNodeToRunOn() {
    Outcome nodes = cli("nodes");
    assertThat(nodes.exitCode()).as(nodes.err()).isZero();
    assertThat(nodes.out()).startsWith("NODE").contains("solo *");

    Outcome here = cli("run", "--node", "solo", "echo here");
    assertThat(here.exitCode()).as(here.err()).isZero();
    assertThat(here.out()).isEqualTo("here\n");
    Outcome nowhere = cli("run", "--node", "nowhere", "echo here");
    assertThat(nowhere.exitCode()).isNotZero();
    assertThat(nowhere.err()).contains("invalid_request", "nowhere");
  }

  @Test
  void afterADoubleDashTheWordsAreTheProgramAndItsArgumentsAsTheyAre() {
    // Sent as argv: the two spaces and the semicolon are the argument's own, never parsed.
    Outcome echoed = cli("run", "--", "echo", "-n", "a  b; c");

    assertThat(echoed.exitCode()).isZero();
    assertThat(echoed.out()).isEqualTo("a  b; c");
  }

  @Test
  void aRefusedCommandExits126WithTheViolations() {
    Outcome refused = cli("run", "echo hi; cat /etc/shadow");

    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(126);
    assertThat(refused.err()).contains("security_violation", "command_injection");
  }

  @Test
  void runInTheBackgroundPrintsTheIdAndPsSuspendResumeCancelAndLogsFollowIt() throws Exception {
    Outcome started = cli("run", "--background", "--timeout-ms", "60000", "seq 1 2");
    assertThat(started.exitCode()).as(started.err()).isZero();
    String id = started.out().strip();
    assertThat(id).matches("p-[0-9A-Z]{26}");
    awaitState(id, "succeeded");
    assertThat(cli("logs", id).out()).isEqualTo("1\n2\n");

    EngineFixture.script(config, "carol", "slow.py", "import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.2)\n");
    String slow = cli("run", "--background", "python3 slow.py").out().strip();
    assertThat(cli("logs", "-f", slow).out()).isEqualTo("0\n1\n2\n");

    String sleeping = cli("run", "--background", "sleep 30").out().strip();
    awaitState(sleeping, "running");
    assertThat(cli("suspend", sleeping).out()).contains(sleeping + " suspended");
    assertThat(cli("resume", sleeping).out()).contains(sleeping + " running");
    Outcome cancelled = cli("cancel", sleeping);
    assertThat(cancelled.exitCode()).isZero();
    assertThat(cancelled.out()).as("the final state, not the one at the acknowledgement").isEqualTo(sleeping + " cancelled\n");
    assertThat(cli("ps", "--state", "cancelled").out()).contains(sleeping);
  }

  @Test
  void aCommandTheEngineEndedSaysWhy() {
    Outcome timedOut = cli("run", "--timeout-ms", "300", "sleep 30");

    assertThat(timedOut.exitCode()).isGreaterThan(128);
    assertThat(timedOut.err()).containsPattern("^isometry: p-\\S+ timed_out \\(timeout, SIG[A-Z]+\\)\n$");
  }

  @Test
  void validateSaysWhatThePolicyThinks() {
    Outcome allowed = cli("validate", "ls -la");
    Outcome refused = cli("validate", "cat $(id)");

    assertThat(allowed.exitCode()).isZero();
    assertThat(allowed.out()).startsWith("allowed");
    assertThat(refused.exitCode()).isEqualTo(126);
    assertThat(refused.out()).contains("command_injection");
  }

  @Test
  void aWrongTokenIsOneLineAndExit1() {
    Outcome outcome = run("--url", url, "--token", "wrong-token-0123456789", "ps");

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err()).startsWith("isometry: unauthorized").contains("--token").doesNotContain("Authorization");
    Outcome run = run("--url", url, "--token", "wrong-token-0123456789", "run", "true");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("isometry: unauthorized").contains("--token");
    assertThat(outcome.out()).as("no table header before the failure").isEmpty();
  }

  @Test
  void helpAnswersAsACommandAndAsAnOptionOfEveryCommand() {
    Outcome help = run("help");
    assertThat(help.exitCode()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: isometry").contains("run", "ps", "nodes", "cancel", "logs", "validate");
    Outcome helpRun = run("help", "run");
    assertThat(helpRun.exitCode()).isZero();
    assertThat(helpRun.out()).startsWith("Usage: isometry run");
    for (String command : new String[] {"run", "ps", "cancel", "suspend", "resume", "logs", "validate"}) {
      Outcome option = run(command, "--help");
      assertThat(option.exitCode()).as(command + " --help: " + option.err()).isZero();
      assertThat(option.out()).startsWith("Usage: isometry " + command);
    }
  }

  private Outcome cli(String... args) {
    String[] full = new String[args.length + 4];
    full[0] = "--url";
    full[1] = url;
    full[2] = "--token";
    full[3] = TOKEN;
    System.arraycopy(args, 0, full, 4, args.length);
    return run(full);
  }

  private static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IsometryCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  /** Waits until {@code ps} shows the process in {@code state}: a new one may still be queued. */
  private void awaitState(String id, String state) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      // The state column marks a background process with '*'.
      if (cli("ps").out().lines().anyMatch(line -> line.startsWith(id)
          && line.split("\\s+")[1].replace("*", "").equals(state))) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError(id + " never showed as " + state);
  }
}
