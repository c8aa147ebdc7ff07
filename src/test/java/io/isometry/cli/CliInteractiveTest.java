package io.isometry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.Await;
import io.isometry.testing.EngineFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isometry run} across a dropped connection (through a real TCP relay the test cuts) and with
 * {@code -i}/{@code -t}, against a real engine.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CliInteractiveTest {

  private static final String TOKEN = "cli-test-token-0123456789";
  private static final String COUNTER =
      "import time\nfor i in range(1, 31):\n    print(i, flush=True)\n    time.sleep(0.1)\n";

  private Vertx vertx;
  private JsonObject config;
  private int enginePort;
  /** The relay's connections to the engine, to cut. */
  private final List<NetSocket> relayed = new CopyOnWriteArrayList<>();
  private int relayPort;

  @BeforeEach
  void start(@TempDir Path temp) throws Exception {
    vertx = Vertx.vertx();
    config = EngineFixture.config(temp, new JsonObject().put("http", new JsonObject().put("tcpBridgePort", -1))
        .put("auth", new JsonObject().put("tokens", new JsonArray()
            .add(new JsonObject().put("token", TOKEN).put("principal", "carol").put("role", "operator")))));
    enginePort = Await.result(EngineFixture.deploy(vertx, config)).httpPort();
    relayPort = startRelay();
    EngineFixture.script(config, "carol", "counter.py", COUNTER);
    EngineFixture.script(config, "carol", "ask.py", "name = input()\nprint('hello ' + name, flush=True)\n");
    EngineFixture.script(config, "carol", "tty.py", "import os\nprint('tty', os.isatty(0), os.get_terminal_size())\n");
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  void runComesBackAfterADroppedConnectionAndPrintsEveryLineOnce() throws Exception {
    CompletableFuture<IsometryCliTest.Outcome> outcome = CompletableFuture.supplyAsync(
        () -> run("--url", "http://127.0.0.1:" + relayPort, "--token", TOKEN, "run", "python3 counter.py"));
    awaitRelayed();
    Thread.sleep(800);

    relayed.forEach(NetSocket::close);

    IsometryCliTest.Outcome done = outcome.get(60, TimeUnit.SECONDS);
    assertThat(done.exitCode()).as(done.err()).isZero();
    StringBuilder expected = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      expected.append(i).append('\n');
    }
    assertThat(done.out()).isEqualTo(expected.toString());
  }

  @Test
  void runDashIFeedsTheCommandThisTerminalsStdin() {
    IsometryCliTest.Outcome answered = withStdin("world\n", () -> cli("run", "-i", "python3 ask.py"));

    assertThat(answered.exitCode()).as(answered.err()).isZero();
    assertThat(answered.out()).isEqualTo("hello world\n");
  }

  @Test
  void runDashTRunsTheCommandOnATerminal() {
    IsometryCliTest.Outcome onTerminal = cli("run", "-t", "python3 tty.py");

    assertThat(onTerminal.exitCode()).as(onTerminal.err()).isZero();
    assertThat(onTerminal.out()).isEqualTo("tty True os.terminal_size(columns=80, lines=24)\r\n");
  }

  private void awaitRelayed() throws InterruptedException {
    for (int i = 0; i < 300 && relayed.isEmpty(); i++) {
      Thread.sleep(20);
    }
    assertThat(relayed).as("the client's connections through the relay").isNotEmpty();
  }

  /** A TCP relay to the engine whose connections the test can cut, as a network would. */
  private int startRelay() throws Exception {
    NetServer relay = vertx.createNetServer().connectHandler(client -> {
      client.pause();
      vertx.createNetClient().connect(enginePort, "127.0.0.1").onSuccess(engine -> {
        relayed.add(engine);
        client.handler(engine::write);
        engine.handler(client::write);
        client.closeHandler(v -> engine.close());
        engine.closeHandler(v -> {
          relayed.remove(engine);
          client.close();
        });
        client.resume();
      }).onFailure(failure -> client.close());
    });
    return Await.result(relay.listen(0, "127.0.0.1")).actualPort();
  }

  private IsometryCliTest.Outcome cli(String... args) {
    String[] full = new String[args.length + 4];
    full[0] = "--url";
    full[1] = "http://127.0.0.1:" + enginePort;
    full[2] = "--token";
    full[3] = TOKEN;
    System.arraycopy(args, 0, full, 4, args.length);
    return run(full);
  }

  private static IsometryCliTest.Outcome withStdin(String text, java.util.function.Supplier<IsometryCliTest.Outcome> body) {
    InputStream original = System.in;
    System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    try {
      return body.get();
    } finally {
      System.setIn(original);
    }
  }

  private static IsometryCliTest.Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IsometryCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new IsometryCliTest.Outcome(code, out.toString(), err.toString());
  }
}
