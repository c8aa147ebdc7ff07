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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    config = EngineFixture.config(temp, new JsonObject().put("http", new JsonObject().put("tcpBridgePort", -1))
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
  void psSuspendResumeCancelAndLogsFollowABackgroundProcess() throws Exception {
    Outcome started = cli("run", "--background", "--timeout-ms", "60000", "seq 1 2");
    assertThat(started.exitCode()).isZero();
    String id = firstId(cli("ps").out());

    assertThat(cli("logs", id).out()).isEqualTo("1\n2\n");
    EngineFixture.script(config, "carol", "slow.py", "import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.2)\n");
    Thread thread = new Thread(() -> cli("run", "--background", "python3 slow.py"));
    thread.start();
    String slow = awaitNewId(id);
    Outcome followed = cli("logs", "-f", slow);
    thread.join();
    assertThat(followed.out()).isEqualTo("0\n1\n2\n");

    Thread sleeper = new Thread(() -> cli("run", "--background", "sleep 30"));
    sleeper.start();
    String sleeping = awaitNewId(slow);
    awaitState(sleeping, "running");
    assertThat(cli("suspend", sleeping).out()).contains(sleeping + " suspended");
    assertThat(cli("resume", sleeping).out()).contains(sleeping + " running");
    assertThat(cli("cancel", sleeping).exitCode()).isZero();
    sleeper.join();
    assertThat(cli("ps", "--state", "cancelled").out()).contains(sleeping);
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
    assertThat(outcome.err()).startsWith("isometry: unauthorized");
    assertThat(outcome.out()).as("no table header before the failure").isEmpty();
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

  /** The id of the newest process in a {@code ps} listing. */
  private static String firstId(String listing) {
    Matcher id = Pattern.compile("(?m)^(p-\\S+)").matcher(listing);
    assertThat(id.find()).as(listing).isTrue();
    return id.group(1);
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

  private String awaitNewId(String previous) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      String newest = firstId(cli("ps").out());
      if (!newest.equals(previous)) {
        return newest;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no new process after " + previous);
  }
}
