package io.isometry.supervisor;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.client.IsometryClient;
import io.isometry.client.OutputEvent;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Stream;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Output is drained continuously, streamed with contiguous offsets, counted exactly and kept bounded. */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class OutputStreamingTest {

  private static final int RETAIN = 64 * 1024;

  @TempDir
  Path root;

  @Test
  void fiftyMegabytesFinishEveryByteCountedOffsetsContiguousAndTheHeapBounded(Vertx vertx) throws Exception {
    JsonObject config = EngineFixture.config(root,
        new JsonObject().put("supervisor", new JsonObject().put("outputRetainBytes", RETAIN)));
    result(EngineFixture.deploy(vertx, config));
    IsometryClient client = IsometryClient.trusted(vertx, EngineFixture.HOST);
    EventLog events = result(EventLog.attachLifecycle(client));
    Map<String, Progress> progress = new ConcurrentHashMap<>();
    result(client.onOutput(event -> progress.computeIfAbsent(event.id(), id -> new Progress()).accept(event)).completion());
    long heapBefore = usedHeapAfterGc();

    // seq 1 7000000 writes 54,888,896 bytes, as fast as the pipe takes them.
    ProcessSnapshot submitted = result(client.submit(Submission.of("seq 1 7000000")));
    ProcessSnapshot done = events.awaitTerminal(submitted.id(), 90_000);

    assertThat(done.state()).isEqualTo(ProcessState.SUCCEEDED);
    assertThat(done.stdoutBytes()).isEqualTo(54_888_896L);
    Progress stdout = progress.get(submitted.id());
    assertThat(stdout.gap.get()).as("first offset gap").isNull();
    assertThat(stdout.next.get()).isEqualTo(54_888_896L);
    assertThat(stdout.lastLine.get()).endsWith("7000000\n");
    assertThat(done.json().getJsonObject("output").getBoolean("truncated")).isTrue();
    String tail = result(client.output(submitted.id(), Stream.STDOUT));
    assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RETAIN);
    assertThat(tail).endsWith("6999999\n7000000\n");
    long growth = usedHeapAfterGc() - heapBefore;
    assertThat(growth).as("heap growth in bytes").isLessThan(2L * RETAIN + 8L * 1024 * 1024);
  }

  @Test
  void aChildWritingHeavilyToBothStreamsNeverBlocksAndMultiByteTextSurvivesChunking(Vertx vertx) throws Exception {
    JsonObject config = EngineFixture.config(root, new JsonObject());
    result(EngineFixture.deploy(vertx, config));
    IsometryClient client = IsometryClient.trusted(vertx, EngineFixture.HOST);
    EventLog events = result(EventLog.attach(client));
    // Each line is 'é' (2 bytes) and '€' (3 bytes) repeated: chunks of 64 KiB cut through characters.
    String script = EngineFixture.script(config, "chatty.py", """
        import sys
        line = ('é€' * 100 + '\\n').encode()
        for i in range(2000):
            sys.stdout.buffer.write(line)
            sys.stderr.buffer.write(line)
        """);

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("python3 " + script))).id(), 60_000);

    assertThat(done.state()).isEqualTo(ProcessState.SUCCEEDED);
    String expected = ("é€".repeat(100) + "\n").repeat(2000);
    assertThat(done.stdoutBytes()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8).length);
    assertThat(done.stderrBytes()).isEqualTo(done.stdoutBytes());
    assertThat(events.text(done.id(), "stdout")).isEqualTo(expected);
    assertThat(events.text(done.id(), "stderr")).isEqualTo(expected);
  }

  /** Checks, without keeping the data, that a stream's chunks follow each other with no gap. */
  private static final class Progress {
    final AtomicLong next = new AtomicLong();
    final AtomicReference<String> gap = new AtomicReference<>();
    final AtomicReference<String> lastLine = new AtomicReference<>("");

    void accept(OutputEvent event) {
      if (event.offset() != next.get() && gap.get() == null) {
        gap.set("expected offset " + next.get() + ", got " + event.offset());
      }
      next.set(event.offset() + event.bytes());
      lastLine.set(event.data());
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
