package io.isometry.engine;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.client.Verdict;
import io.isometry.config.ConfigLoader;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.contract.ViolationType;
import io.isometry.testing.Await;
import io.isometry.testing.EngineFixture;
import io.isometry.validation.Violation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The engine as a host embeds it: {@link Engine#embed}, HTTP off, {@code client.run} to the final
 * record, a failed deploy that leaves no thread behind. The README's example is the code between
 * the {@code README} markers below, and a test keeps the two identical.
 */
@Timeout(120)
class EmbeddingTest {

  private static final Path SOURCE = Path.of("src/test/java/io/isometry/engine/EmbeddingTest.java");
  private static final String BEGIN = "// README: embedding";
  private static final String END = "// README: end";

  @TempDir
  Path home;

  @Test
  void theReadmeExampleRunsAsWritten() throws Exception {
    // Children run as nobody when the tests run as root: they must reach their workspace.
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    // README: embedding
    Vertx vertx = Vertx.vertx();
    JsonObject config = ConfigLoader.withOverrides(new JsonObject()
        .put("workspace", home.resolve("workspace").toString())
        .put("dataDir", home.resolve("data").toString())
        .put("http", new JsonObject().put("enabled", false)));
    Future<ProcessSnapshot> finished = Engine.embed(vertx, config).compose(engine -> {
      IsometryClient client = engine.client();
      client.onOutput(chunk -> System.out.print(chunk.data()));
      return client.run(Submission.of("echo hello").timeoutMs(5_000)).eventually(engine::close);
    }).onComplete(done -> vertx.close());
    // README: end
    ProcessSnapshot done = result(finished);
    assertThat(done.state()).isEqualTo(ProcessState.SUCCEEDED);
    assertThat(done.exitCode()).isZero();
    assertThat(done.stdoutBytes()).isEqualTo("hello\n".length());
  }

  @Test
  void theReadmeQuotesTheExampleVerbatim() throws Exception {
    List<String> lines = Files.readAllLines(SOURCE);
    List<String> region = lines.subList(indexOf(lines, BEGIN) + 1, indexOf(lines, END));
    int indent = region.get(0).indexOf(region.get(0).strip());
    String example = region.stream().map(line -> line.substring(Math.min(indent, line.length())))
        .collect(Collectors.joining("\n", "```java\n", "\n```\n"));
    assertThat(Files.readString(Path.of("README.md"))).contains(example);
  }

  @Test
  void withHttpOffNothingListensNoTokenIsMadeAndNothingIsLoggedOfIt() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = EngineFixture.config(home, new JsonObject().put("http", new JsonObject().put("enabled", false)));
      Engine engine = result(Engine.embed(vertx, config));
      assertThat(engine.httpPort()).isEmpty();
      assertThat(engine.tcpBridgePort()).isEmpty();
      assertThat(result(engine.client().run(Submission.of("true"))).state()).isEqualTo(ProcessState.SUCCEEDED);
      result(engine.close());
    } finally {
      root.detachAppender(log);
      result(vertx.close());
    }
    assertThat(home.resolve("data/token")).doesNotExist();
    assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(line -> line.contains("http://") || line.contains("token") || line.contains("listening"));
  }

  @Test
  void runCompletesWithTheFinalRecordWhateverEndedItAndRefusalsCarryTypedViolations() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = EngineFixture.config(home, new JsonObject().put("http", new JsonObject().put("enabled", false)));
      IsometryClient client = result(Engine.embed(vertx, config)).client();

      ProcessSnapshot failed = result(client.run(Submission.of("false")));
      assertThat(failed.state()).isEqualTo(ProcessState.FAILED);
      assertThat(failed.exitCode()).isEqualTo(1);

      ProcessSnapshot timedOut = result(client.run(Submission.of("sleep 30").timeoutMs(300)));
      assertThat(timedOut.state()).isEqualTo(ProcessState.TIMED_OUT);
      assertThat(timedOut.reason()).isEqualTo(Reason.TIMEOUT);

      EngineError refused = Await.failure(client.run(Submission.of("rm -rf /")));
      assertThat(refused.code()).isEqualTo(ErrorCode.SECURITY_VIOLATION);
      assertThat(Violation.in(refused)).extracting(Violation::type).contains(ViolationType.COMMAND_NOT_ALLOWED);
      Verdict verdict = result(client.validate(Submission.of("cat /etc/shadow")));
      assertThat(verdict.allowed()).isFalse();
      assertThat(verdict.violations()).isNotEmpty().allSatisfy(violation -> {
        assertThat(violation.type()).isNotNull();
        assertThat(violation.severity()).isNotNull();
      });
    } finally {
      result(vertx.close());
    }
  }

  @Test
  void aFailedEmbedLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Vertx vertx = Vertx.vertx();
    // The last part to start is HTTP: by then the journal, the supervisor and the monitor have started threads.
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JsonObject config = EngineFixture.config(home, new JsonObject().put("http", new JsonObject()
          .put("port", taken.getLocalPort())));
      assertThatThrownBy(() -> result(Engine.embed(vertx, config)))
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
    result(vertx.close());
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<Thread> left = nonDaemonSince(before);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      left = nonDaemonSince(before);
    }
    assertThat(left).as("non-daemon threads left by the failed embed").isEmpty();
  }

  private static List<Thread> nonDaemonSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !before.contains(thread) && !thread.isDaemon() && thread.isAlive())
        .toList();
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("no line '" + marker + "' in " + SOURCE);
  }
}
