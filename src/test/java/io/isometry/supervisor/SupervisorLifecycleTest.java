package io.isometry.supervisor;

import static io.isometry.testing.Await.failure;
import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.contract.Stream;
import io.isometry.contract.SubmitRequest;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle of real processes through the embedded Java client, as a host application drives it. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class SupervisorLifecycleTest {

  @TempDir
  Path root;
  private JsonObject config;
  private IsometryClient client;
  private EventLog events;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    config = EngineFixture.config(root, new JsonObject());
    result(EngineFixture.deploy(vertx, config));
    client = IsometryClient.trusted(vertx, "alice");
    events = result(EventLog.attach(client));
  }

  @Test
  void aCommandThatExitsZeroSucceedsWithItsOutput() throws Exception {
    ProcessSnapshot submitted = result(client.submit(Submission.of("echo 'hello  world'").label("greeting")));

    ProcessSnapshot done = events.awaitTerminal(submitted.id(), 10_000);

    assertThat(done.state()).isEqualTo(ProcessState.SUCCEEDED);
    assertThat(done.exitCode()).isZero();
    assertThat(done.reason()).isEqualTo(Reason.EXIT);
    assertThat(done.owner()).isEqualTo("alice");
    assertThat(done.argv()).containsExactly("/usr/bin/echo", "hello  world");
    assertThat(done.json().getString("label")).isEqualTo("greeting");
    assertThat(done.json().getString("startedAt")).isNotNull();
    assertThat(done.json().getString("endedAt")).isNotNull();
    assertThat(done.stdoutBytes()).isEqualTo(13);
    assertThat(events.states(submitted.id())).containsExactly("queued", "running", "succeeded");
    assertThat(events.text(submitted.id(), "stdout")).isEqualTo("hello  world\n");
    assertThat(result(client.output(submitted.id(), Stream.STDOUT))).isEqualTo("hello  world\n");
  }

  @Test
  void anEventBusSubmitWithAKeyThatWasUsedAnswersTheFirstRecord() throws Exception {
    ProcessSnapshot first = result(client.submit(Submission.of("echo keyed").idempotencyKey("bus-key")));
    events.awaitTerminal(first.id(), 10_000);

    ProcessSnapshot again = result(client.submit(Submission.of("echo keyed").idempotencyKey("bus-key")));

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.state()).isEqualTo(ProcessState.SUCCEEDED);
    assertThat(events.states(first.id())).containsExactly("queued", "running", "succeeded");
  }

  @Test
  void aNonZeroExitFailsWithItsCodeAndStderrIsKeptApart() throws Exception {
    String script = EngineFixture.script(config, "alice", "fail.py",
        "import sys\nsys.stdout.write('out')\nsys.stderr.write('err!')\nsys.exit(3)\n");

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("python3 " + script))).id(), 10_000);

    assertThat(done.state()).isEqualTo(ProcessState.FAILED);
    assertThat(done.exitCode()).isEqualTo(3);
    assertThat(done.signal()).isNull();
    assertThat(done.reason()).isEqualTo(Reason.EXIT);
    assertThat(result(client.output(done.id(), Stream.STDOUT))).isEqualTo("out");
    assertThat(result(client.output(done.id(), Stream.STDERR))).isEqualTo("err!");
    assertThat(done.stderrBytes()).isEqualTo(4);
  }

  @Test
  void aProcessKilledByASignalFailsAndNamesTheSignal() throws Exception {
    String script = EngineFixture.script(config, "alice", "abort.py", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n");

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("python3 " + script))).id(), 10_000);

    assertThat(done.state()).isEqualTo(ProcessState.FAILED);
    assertThat(done.signal()).isEqualTo("SIGKILL");
    assertThat(done.exitCode()).isNull();
  }

  @Test
  void controlsOnUnknownOrFinishedProcessesAreRefusedWithTheContractErrors() throws Exception {
    assertThat(failure(client.get("p-unknown")).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failure(client.cancel("p-unknown")).code()).isEqualTo(ErrorCode.NOT_FOUND);

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("true"))).id(), 10_000);

    for (var control : List.<java.util.function.Function<String, io.vertx.core.Future<ProcessSnapshot>>>of(
        client::cancel, client::suspend, client::resume, client::background)) {
      assertThat(failure(control.apply(done.id())).code()).isEqualTo(ErrorCode.INVALID_STATE);
    }
  }

  @Test
  void aRunningProcessCannotBeResumedNorAQueuedOneSuspended() throws Exception {
    ProcessSnapshot running = result(client.submit(Submission.of("sleep 30")));
    assertThat(running.state()).isEqualTo(ProcessState.RUNNING);

    assertThat(failure(client.resume(running.id())).code()).isEqualTo(ErrorCode.INVALID_STATE);

    result(client.cancel(running.id()));
    assertThat(events.awaitTerminal(running.id(), 10_000).state()).isEqualTo(ProcessState.CANCELLED);
  }

  @Test
  void aRefusedRequestStartsNothingAndSaysWhy() throws Exception {
    var error = failure(client.submit(Submission.of("rm -rf /")));

    assertThat(error.code()).isEqualTo(ErrorCode.SECURITY_VIOLATION);
    assertThat(error.toJson().getJsonArray("violations").getJsonObject(0).getString("type"))
        .isEqualTo("command_not_allowed");
    assertThat(result(client.list(null, 10))).isEmpty();
  }

  @Test
  void aMemoryLimitOverTheServerMaximumIsAnInvalidRequest() throws Exception {
    var error = failure(client.submit(Submission.of("true").memoryLimitBytes(1L << 40)));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.getMessage()).contains("memoryLimitBytes");
  }

  @Test
  void aMemoryLimitBelowTheFloorIsAnInvalidRequestAndStartsNothing() throws Exception {
    for (long bytes : new long[] {1, 4096, SubmitRequest.MIN_MEMORY_LIMIT_BYTES - 1}) {
      var error = failure(client.submit(Submission.of("true").memoryLimitBytes(bytes)));

      assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(error.getMessage()).contains("memoryLimitBytes", "at least " + SubmitRequest.MIN_MEMORY_LIMIT_BYTES);
    }
    assertThat(result(client.list(null, 10))).isEmpty();
    // A tiny limit once left the spawner stuck in a job it could not leave: at the floor, and after, runs start.
    String id = result(client.submit(Submission.of("true").memoryLimitBytes(SubmitRequest.MIN_MEMORY_LIMIT_BYTES))).id();
    assertThat(events.awaitTerminal(id, 10_000).state()).isIn(ProcessState.SUCCEEDED, ProcessState.KILLED);
    assertThat(events.awaitTerminal(result(client.submit(Submission.of("true"))).id(), 10_000).state())
        .isEqualTo(ProcessState.SUCCEEDED);
  }

  @Test
  void listIsNewestFirstAndFiltersByState() throws Exception {
    String first = result(client.submit(Submission.of("true"))).id();
    String second = result(client.submit(Submission.of("false"))).id();
    events.awaitTerminal(first, 10_000);
    events.awaitTerminal(second, 10_000);

    assertThat(result(client.list(null, 10))).extracting(ProcessSnapshot::id).containsExactly(second, first);
    assertThat(result(client.list(ProcessState.FAILED, 10))).extracting(ProcessSnapshot::id).containsExactly(second);
    assertThat(failure(client.request(Addresses.LIST, new JsonObject().put("state", "sleeping"))).code())
        .isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @Test
  void aRequestThatSaysNoRoleIsRefusedNeverTakenForAnAdmin(Vertx vertx) throws Exception {
    String id = result(client.submit(Submission.of("true"))).id();

    for (DeliveryOptions headers : List.of(new DeliveryOptions(), new DeliveryOptions().addHeader(Addresses.HEADER_OWNER, "alice"),
        new DeliveryOptions().addHeader(Addresses.HEADER_ROLE, "admin"))) {
      for (String address : List.of(Addresses.GET, Addresses.CANCEL, Addresses.SUBMIT)) {
        JsonObject body = address.equals(Addresses.SUBMIT) ? new JsonObject().put("command", "true")
            : new JsonObject().put("id", id);
        EngineError refused = failure(vertx.eventBus().request(address, body, headers)
            .recover(f -> Future.failedFuture(EngineError.from(f))));
        assertThat(refused.code()).as(address).isEqualTo(ErrorCode.FORBIDDEN);
      }
    }
  }
}
