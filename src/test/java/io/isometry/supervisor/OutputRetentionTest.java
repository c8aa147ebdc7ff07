package io.isometry.supervisor;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.client.IsometryClient;
import io.isometry.client.Submission;
import io.isometry.contract.Stream;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code supervisor.outputRetainTotalBytes} on real processes: once finished output passes the bound,
 * the oldest tails leave memory, and their output is still answered, from the journal.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class OutputRetentionTest {

  @TempDir
  Path root;

  @Test
  void outputThatLeftMemoryIsAnsweredFromTheJournal(Vertx vertx) throws Exception {
    // A tail takes 4 KiB as soon as a byte arrives: two finished records fit, the third sends the first out.
    JsonObject config = EngineFixture.config(root, new JsonObject()
        .put("supervisor", new JsonObject().put("outputRetainTotalBytes", 9000)));
    result(EngineFixture.deploy(vertx, config));
    IsometryClient client = IsometryClient.trusted(vertx, "alice");
    EventLog events = result(EventLog.attach(client));
    List<String> ids = new ArrayList<>();
    for (String word : List.of("first", "second", "third")) {
      String id = result(client.submit(Submission.of("echo " + word))).id();
      events.awaitTerminal(id, 10_000);
      ids.add(id);
    }

    assertThat(result(client.output(ids.get(0), Stream.STDOUT))).isEqualTo("first\n");
    assertThat(result(client.output(ids.get(2), Stream.STDOUT))).isEqualTo("third\n");
  }
}
