package io.isometry.http;

import static io.isometry.http.StdinTest.awaitEnd;
import static io.isometry.http.StdinTest.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.EngineFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Processes on a pseudo-terminal, in the sandbox and without it: the command sees a terminal of the
 * size asked for, hears a resize, and a Ctrl+C written to the terminal interrupts it through the
 * line discipline (SIGINT to its foreground group), as in a terminal.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TerminalTest {

  private static final String TERMINAL_SCRIPT = """
      import os, signal, sys, time
      print("tty", os.isatty(0), os.isatty(1), os.isatty(2), flush=True)
      print("size", *os.get_terminal_size(), flush=True)
      resized = []
      signal.signal(signal.SIGWINCH, lambda *ignored: resized.append(True))
      print("ready", flush=True)
      while not resized:
          time.sleep(0.02)
      print("resized", *os.get_terminal_size(), flush=True)
      try:
          time.sleep(60)
      except KeyboardInterrupt:
          print("interrupted", flush=True)
          sys.exit(3)
      """;

  private RestCalls alice;

  @ParameterizedTest(name = "sandbox {0}")
  @ValueSource(strings = {"auto", "off"})
  void aCommandSeesItsTerminalItsSizeAResizeAndCtrlC(String sandbox, Vertx vertx, @TempDir Path temp) throws Exception {
    deploy(vertx, temp, sandbox);
    JsonObject record = submit(new JsonObject().put("command", "python3 terminal.py").put("tty", true)
        .put("cols", 132).put("rows", 43));
    assertThat(record.getBoolean("tty")).isTrue();
    assertThat(record.getBoolean("stdin")).isTrue();
    assertThat(record.getInteger("cols")).isEqualTo(132);
    String id = record.getString("id");

    awaitOutput(id, "ready");
    assertThat(output(id)).contains("tty True True True\r\n").contains("size 132 43\r\n");
    RestCalls.Reply resized = alice.post(path(id, "resize"), new JsonObject().put("cols", 100).put("rows", 30));
    assertThat(resized.status()).as(resized.body()).isEqualTo(202);
    assertThat(resized.json().getInteger("cols")).isEqualTo(100);
    awaitOutput(id, "resized 100 30");
    assertThat(alice.post(path(id, "stdin"), new JsonObject().put("data", "\u0003")).status()).isEqualTo(202);

    JsonObject ended = awaitEnd(alice, id);
    assertThat(output(id)).contains("interrupted");
    assertThat(ended.getInteger("exitCode")).isEqualTo(3);
    assertThat(ended.getJsonObject("output").getLong("stderrBytes")).isZero();
  }

  @Test
  void ctrlCInterruptsASleepingPythonAndCancelStillEndsTheTree(Vertx vertx, @TempDir Path temp) throws Exception {
    deploy(vertx, temp, "auto");
    String sleeper = submit(new JsonObject().put("command", "python3 sleep.py").put("tty", true)).getString("id");
    awaitOutput(sleeper, "asleep");

    alice.post(path(sleeper, "stdin"), new JsonObject().put("data", "\u0003"));

    JsonObject interrupted = awaitEnd(alice, sleeper);
    assertThat(output(sleeper)).contains("KeyboardInterrupt");
    assertThat(interrupted.getString("signal")).isEqualTo("SIGINT");
    assertThat(interrupted.getString("reason")).isEqualTo("exit");

    String cancelled = submit(new JsonObject().put("command", "sleep 60").put("tty", true)).getString("id");
    awaitRunning(cancelled);
    assertThat(alice.post(path(cancelled, "cancel"), "").status()).isEqualTo(202);
    JsonObject ended = awaitEnd(alice, cancelled);
    assertThat(ended.getString("reason")).isEqualTo("cancelled");
    assertThat(ended.getString("signal")).isEqualTo("SIGTERM");
  }

  @Test
  void theMonitorSamplesTheCommandOnItsTerminalInTheSandbox(Vertx vertx, @TempDir Path temp) throws Exception {
    deploy(vertx, temp, "auto");
    String id = submit(new JsonObject().put("command", "python3 sleep.py").put("tty", true)).getString("id");
    awaitOutput(id, "asleep");

    // The sandbox's pid 1 and, in a session of its own, the command: both are the tree.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonObject usage = alice.get("/api/v1/processes/" + id).json().getJsonObject("usage");
    while (usage.getInteger("processes", 0) < 2) {
      assertThat(System.nanoTime()).as("usage %s", usage).isLessThan(deadline);
      Thread.sleep(100);
      usage = alice.get("/api/v1/processes/" + id).json().getJsonObject("usage");
    }
    assertThat(usage.getInteger("processes")).isEqualTo(2);
    assertThat(usage.getLong("rssBytes")).isGreaterThan(4L * 1024 * 1024);
    alice.post(path(id, "cancel"), "");
    awaitEnd(alice, id);
  }

  @Test
  void manyInteractiveRunsLeaveNoDescriptorOpenInTheEngine(Vertx vertx, @TempDir Path temp) throws Exception {
    deploy(vertx, temp, "auto");
    runBatch(2);
    long before = openDescriptors();

    runBatch(10);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long after = openDescriptors();
    while (after > before + 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      after = openDescriptors();
    }
    // 40 processes, each with a pipe or a terminal: one leaked descriptor each would show as 40.
    assertThat(after).as("descriptors of the engine's JVM before %d, after %d", before, after).isLessThanOrEqualTo(before + 2);
  }

  /** {@code count} times, one after another: cat fed and ended, cat left unread, a terminal fed, a terminal cancelled. */
  private void runBatch(int count) {
    for (int i = 0; i < count; i++) {
      String fed = submit(new JsonObject().put("command", "cat").put("stdin", true)).getString("id");
      assertThat(alice.post(path(fed, "stdin"), new JsonObject().put("data", "line\n").put("eof", true)).status())
          .isEqualTo(202);
      String unread = submit(new JsonObject().put("command", "sleep 0.2").put("stdin", true)).getString("id");
      assertThat(alice.post(path(unread, "stdin"), new JsonObject().put("data", "never read\n")).status()).isEqualTo(202);
      String terminal = submit(new JsonObject().put("command", "python3 ask.py").put("tty", true)).getString("id");
      assertThat(alice.post(path(terminal, "stdin"), new JsonObject().put("data", "typed\n")).status()).isEqualTo(202);
      String cancelled = submit(new JsonObject().put("command", "sleep 30").put("tty", true)).getString("id");
      assertThat(alice.post(path(cancelled, "cancel"), "").status()).isEqualTo(202);
      for (String id : List.of(fed, unread, terminal, cancelled)) {
        assertThat(awaitEnd(alice, id).getString("reason")).isIn("exit", "cancelled");
      }
    }
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  private void deploy(Vertx vertx, Path temp, String sandbox) throws Exception {
    TokenEngine engine = TokenEngine.deploy(vertx, temp, new JsonObject()
        .put("sandbox", new JsonObject().put("mode", sandbox))
        .put("monitor", new JsonObject().put("intervalMs", 200)));
    JsonObject config = engine.config();
    alice = engine.as(Tokens.ALICE);
    EngineFixture.script(config, "alice", "terminal.py", TERMINAL_SCRIPT);
    EngineFixture.script(config, "alice", "sleep.py", "import time\nprint('asleep', flush=True)\ntime.sleep(60)\n");
    EngineFixture.script(config, "alice", "ask.py", StdinTest.ASK);
  }

  private JsonObject submit(JsonObject body) {
    RestCalls.Reply reply = alice.post("/api/v1/processes", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    return reply.json();
  }

  private String output(String id) {
    return alice.get(path(id, "output")).body();
  }

  private void awaitOutput(String id, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!output(id).contains(text)) {
      assertThat(System.nanoTime()).as("waiting for '%s' from %s, got: %s", text, id, output(id)).isLessThan(deadline);
      Thread.sleep(30);
    }
  }

  private void awaitRunning(String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!"running".equals(alice.get("/api/v1/processes/" + id).json().getString("state"))) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(30);
    }
  }
}
