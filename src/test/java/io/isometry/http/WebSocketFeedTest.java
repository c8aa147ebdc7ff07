package io.isometry.http;

import io.isometry.contract.Addresses;
import io.isometry.metrics.EngineMetrics;
import io.isometry.testing.Await;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.assertj.core.data.Index;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.isometry.http.EngineStandIn.answer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket feed in front of a stand-in for the supervisor: the tests publish the engine's
 * events themselves and answer its requests, and watch what the sockets receive.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebSocketFeedTest {

  private Vertx vertx;
  private int port;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    port = HttpApiTest.deployHttp(vertx, 65536);
  }

  @Test
  void processAndStatsEventsReachEveryClientAsPublishedAndInOrder() throws Exception {
    FeedSocket first = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    FeedSocket second = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    awaitConnected(first, second);

    for (int i = 0; i < 200; i++) {
      vertx.eventBus().publish(Addresses.EVENT_PROCESS, processEvent("p-1", i));
    }
    JsonObject stats = new JsonObject().put("type", "stats").put("stats", new JsonObject().put("running", 1));
    vertx.eventBus().publish(Addresses.EVENT_STATS, stats);

    for (FeedSocket socket : List.of(first, second)) {
      socket.await("stats", frame -> frame.equals(stats));
      List<JsonObject> processFrames = socket.frames().stream().filter(f -> "process".equals(f.getString("type")))
          .toList();
      assertThat(processFrames).hasSize(200);
      for (int i = 0; i < 200; i++) {
        assertThat(processFrames.get(i)).isEqualTo(processEvent("p-1", i));
      }
    }
    MeterRegistry meters = EngineMetrics.registry(vertx);
    assertThat(meters.get("isometry.feed.clients").gauge().value()).isEqualTo(2);
    assertThat(meters.get("isometry.feed.events").counter().count()).as("201 events to each of 2 clients, and markers")
        .isGreaterThanOrEqualTo(2 * 201);
  }

  @Test
  void anEventLargerThanAFrameReachesAClientWholeInFragments() throws Exception {
    // The server sends frames of at most 64 KiB (its limit here), which is also Vert.x's client's cap.
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    awaitConnected(socket);
    JsonObject big = processEvent("p-1", 1).put("padding", "é€ö".repeat(30_000));

    vertx.eventBus().publish(Addresses.EVENT_PROCESS, big);
    vertx.eventBus().publish(Addresses.EVENT_PROCESS, processEvent("p-1", 2));

    socket.await("the event after the big one", frame -> frame.equals(processEvent("p-1", 2)));
    List<JsonObject> process = socket.frames().stream().filter(f -> "process".equals(f.getString("type"))).toList();
    assertThat(process).containsExactly(big, processEvent("p-1", 2));
  }

  @Test
  void aClientThatNegotiatedCompressionReadsEveryEventWhole() throws Exception {
    FeedSocket socket = FeedSocket.open(vertx, new WebSocketClientOptions().setTryUsePerMessageCompression(true),
        new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(ApiRouter.WEB_SOCKET_PATH)
            .addHeader("Authorization", "Bearer " + Tokens.ADMIN));
    awaitConnected(socket);
    JsonObject big = processEvent("p-1", 50).put("padding", "é€ö".repeat(30_000));

    for (int i = 0; i < 50; i++) {
      vertx.eventBus().publish(Addresses.EVENT_PROCESS, processEvent("p-1", i));
    }
    vertx.eventBus().publish(Addresses.EVENT_PROCESS, big);
    vertx.eventBus().publish(Addresses.EVENT_PROCESS, processEvent("p-1", 51));

    assertThat(socket.socket().headers().get("Sec-WebSocket-Extensions")).contains("permessage-deflate");
    socket.await("the last event", frame -> frame.equals(processEvent("p-1", 51)));
    List<JsonObject> process = socket.frames().stream().filter(f -> "process".equals(f.getString("type"))).toList();
    assertThat(process).hasSize(52).contains(big, Index.atIndex(50));
  }

  @Test
  void aClientBusyThroughABurstGetsAllOfIt() throws Exception {
    // A receive buffer this small makes the server's writes back up as soon as the client stops reading.
    try (RawWebSocket busy = RawWebSocket.request(port, 8192,
        RawWebSocket.handshake("Authorization: Bearer " + Tokens.ADMIN + "\r\n"))) {
      assertThat(busy.readHead()).startsWith("HTTP/1.1 101");
      assertThat(publishMarker().test(json(busy.readFrame()))).as("the marker, first").isTrue();
      String padding = "z".repeat(60_000);

      // 720 KB: far more than the socket buffers hold, less than a client may fall behind.
      for (int i = 0; i < 12; i++) {
        vertx.eventBus().publish(Addresses.EVENT_PROCESS, processEvent("p-1", i).put("padding", padding));
      }
      Thread.sleep(500);

      for (int i = 0; i < 12; i++) {
        assertThat(json(busy.readFrame())).isEqualTo(processEvent("p-1", i).put("padding", padding));
      }
    }
    assertThat(EngineMetrics.registry(vertx).get("isometry.feed.dropped").counter().count()).isZero();
  }

  @Test
  void whenTheEngineStopsNoEventFollowsTheCloseFrame() throws Exception {
    try (RawWebSocket socket = RawWebSocket.request(port, 65536,
        RawWebSocket.handshake("Authorization: Bearer " + Tokens.ADMIN + "\r\n"))) {
      assertThat(socket.readHead()).startsWith("HTTP/1.1 101");
      assertThat(publishMarker().test(json(socket.readFrame()))).as("the marker, first").isTrue();
      AtomicInteger sequence = new AtomicInteger();
      long publisher = vertx.setPeriodic(1, tick ->
          vertx.eventBus().publish(Addresses.EVENT_PROCESS, processEvent("p-1", sequence.incrementAndGet())));
      while (sequence.get() < 20) {
        Thread.sleep(5);
      }

      vertx.undeploy(vertx.deploymentIDs().iterator().next());

      List<Integer> afterClose = new ArrayList<>();
      boolean closed = false;
      try {
        for (RawWebSocket.Frame frame = socket.readFrame(); ; frame = socket.readFrame()) {
          if (frame.opcode() == RawWebSocket.Frame.CLOSE) {
            closed = true;
            socket.answerClose();
          } else if (closed) {
            afterClose.add(frame.opcode());
          }
        }
      } catch (EOFException endOfConnection) {
        vertx.cancelTimer(publisher);
      }
      assertThat(closed).as("a close frame").isTrue();
      assertThat(afterClose).as("frames after the close frame").isEmpty();
    }
  }

  @Test
  void aFrameOverTheLimitIsAnsweredWithClose1009() throws Exception {
    try (RawWebSocket socket = RawWebSocket.request(port, 65536,
        RawWebSocket.handshake("Authorization: Bearer " + Tokens.ADMIN + "\r\n"))) {
      assertThat(socket.readHead()).startsWith("HTTP/1.1 101");

      socket.sendText("x".repeat(70_000));

      RawWebSocket.Frame frame = socket.readFrame();
      while (frame.opcode() != RawWebSocket.Frame.CLOSE) {
        frame = socket.readFrame();
      }
      assertThat(frame.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void aClientThatAsksForBatchesGetsEveryEventInOrderInFewerFrames() throws Exception {
    FeedSocket batched = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    FeedSocket single = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    awaitConnected(batched, single);
    batched.send(new JsonObject().put("type", "batch").put("requestId", "b1"));
    JsonObject ack = batched.await("batch ack", frame -> "ack".equals(frame.getString("type")));

    for (int i = 0; i < 200; i++) {
      vertx.eventBus().publish(Addresses.EVENT_PROCESS, processEvent("p-1", i));
    }
    single.await("the last event", frame -> frame.equals(processEvent("p-1", 199)));
    batched.await("the batch with the last event", frame -> "batch".equals(frame.getString("type"))
        && eventsOf(frame).contains(processEvent("p-1", 199)));

    assertThat(ack.getLong("batchWindowMs")).isEqualTo(WebSocketFeed.BATCH_WINDOW_MS);
    List<JsonObject> batches = batched.frames().stream().filter(f -> "batch".equals(f.getString("type"))).toList();
    List<JsonObject> events = batches.stream().flatMap(batch -> eventsOf(batch).stream()).toList();
    assertThat(events).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(events.get(i)).isEqualTo(processEvent("p-1", i));
    }
    assertThat(batches.size()).as("events travel together").isLessThan(200);
    assertThat(single.frames().stream().filter(f -> "process".equals(f.getString("type")))).hasSize(200);
  }

  private static List<JsonObject> eventsOf(JsonObject batch) {
    JsonArray events = batch.getJsonArray("events");
    return java.util.stream.IntStream.range(0, events.size()).mapToObj(events::getJsonObject).toList();
  }

  @Test
  void outputReachesOnlyTheClientsThatSubscribed() throws Exception {
    FeedSocket subscriber = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    FeedSocket bystander = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    vertx.eventBus().publish(Addresses.EVENT_OUTPUT, outputEvent("p-1", 0, "before\n"));
    awaitConnected(subscriber, bystander);

    subscriber.send(new JsonObject().put("type", "subscribe").put("output", new JsonArray().add("p-1"))
        .put("requestId", "s1"));
    JsonObject ack = subscriber.await("subscribe ack", frame -> "ack".equals(frame.getString("type")));
    vertx.eventBus().publish(Addresses.EVENT_OUTPUT, outputEvent("p-2", 0, "other\n"));
    vertx.eventBus().publish(Addresses.EVENT_OUTPUT, outputEvent("p-1", 7, "after\n"));
    Predicate<JsonObject> marker = publishMarker();

    assertThat(ack).isEqualTo(new JsonObject().put("type", "ack").put("requestId", "s1")
        .put("output", new JsonArray().add("p-1")));
    subscriber.await("marker", marker);
    bystander.await("marker", marker);
    assertThat(outputFrames(subscriber)).containsExactly(outputEvent("p-1", 7, "after\n"));
    assertThat(outputFrames(bystander)).isEmpty();
  }

  @Test
  void aRunSOutputThatComesBeforeTheEngineSAnswerStillReachesTheSocket() throws Exception {
    // The engine answers a run once its journal has it; a quick process may have printed by then.
    CompletableFuture<Message<Object>> submitted = answer(vertx, Addresses.SUBMIT, message -> { });
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    awaitConnected(socket);
    socket.send(new JsonObject().put("type", "run").put("command", "seq 1 2"));
    Message<Object> request = submitted.get(10, TimeUnit.SECONDS);
    JsonObject own = new JsonObject().put("type", "process").put("record", new JsonObject().put("id", "p-7")
        .put("owner", "root").put("state", "running"));
    JsonObject other = new JsonObject().put("type", "process").put("record", new JsonObject().put("id", "p-8")
        .put("owner", "root").put("state", "running"));
    for (JsonObject event : List.of(own, other, outputEvent("p-7", 0, "1\n"), outputEvent("p-8", 0, "x\n"),
        outputEvent("p-7", 2, "2\n"))) {
      vertx.eventBus().publish(event.getString("type").equals("output") ? Addresses.EVENT_OUTPUT : Addresses.EVENT_PROCESS,
          event);
    }
    socket.await("the events, through", frame -> frame.equals(other));

    request.reply(new JsonObject().put("id", "p-7").put("state", "running"));
    socket.await("the ack", frame -> "ack".equals(frame.getString("type")));
    vertx.eventBus().publish(Addresses.EVENT_OUTPUT, outputEvent("p-7", 4, "3\n"));

    socket.await("the output after the answer", frame -> frame.equals(outputEvent("p-7", 4, "3\n")));
    assertThat(outputFrames(socket)).as("the run's output, whole and in order; nothing of the other process")
        .containsExactly(outputEvent("p-7", 0, "1\n"), outputEvent("p-7", 2, "2\n"), outputEvent("p-7", 4, "3\n"));
    List<JsonObject> frames = socket.frames();
    int ack = frames.indexOf(frames.stream().filter(frame -> "ack".equals(frame.getString("type"))).findFirst().orElseThrow());
    assertThat(ack).as("the answer (which names the process) comes before its early output, so the client can place it")
        .isLessThan(frames.indexOf(outputEvent("p-7", 0, "1\n")));
  }

  @Test
  void pipelinedRunsEachGetTheirEarlyOutputThoughASiblingFilledWhatIsHeld() throws Exception {
    LinkedBlockingQueue<Message<Object>> submits = new LinkedBlockingQueue<>();
    Await.result(vertx.eventBus().consumer(Addresses.SUBMIT, (Message<Object> submit) -> submits.add(submit)).completion());
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    awaitConnected(socket);
    socket.send(new JsonObject().put("type", "run").put("command", "a"));
    Message<Object> runA = submits.poll(10, TimeUnit.SECONDS);
    publishProcess("p-s");
    // A sibling of the same owner fills all the room there is while run A is unanswered, in frames
    // shorter than the one run B will print early: no room is left for that one.
    JsonObject sibling = outputEvent("p-s", 0, "");
    for (int i = 0; i * sibling.encode().length() <= EarlyOutput.MAX_CHARS; i++) {
      vertx.eventBus().publish(Addresses.EVENT_OUTPUT, sibling);
    }
    socket.send(new JsonObject().put("type", "run").put("command", "b"));
    Message<Object> runB = submits.poll(10, TimeUnit.SECONDS);

    runA.reply(new JsonObject().put("id", "p-a").put("state", "running"));
    socket.await("the answer to run A", frame -> "ack".equals(frame.getString("type")));
    publishProcess("p-b");
    vertx.eventBus().publish(Addresses.EVENT_OUTPUT, outputEvent("p-b", 0, "early\n"));
    awaitConnected(socket);
    runB.reply(new JsonObject().put("id", "p-b").put("state", "running"));
    vertx.eventBus().publish(Addresses.EVENT_OUTPUT, outputEvent("p-b", 6, "late\n"));

    socket.await("the late output", frame -> frame.equals(outputEvent("p-b", 6, "late\n")));
    assertThat(outputFrames(socket)).containsExactly(outputEvent("p-b", 0, "early\n"), outputEvent("p-b", 6, "late\n"));
  }

  private void publishProcess(String id) {
    vertx.eventBus().publish(Addresses.EVENT_PROCESS, new JsonObject().put("type", "process")
        .put("record", new JsonObject().put("id", id).put("owner", "root").put("state", "running")));
  }

  @Test
  void runSubmitsForThisSocketAcksAndStreamsItsOutput() throws Exception {
    CompletableFuture<Message<Object>> submitted = answer(vertx, Addresses.SUBMIT,
        message -> message.reply(new JsonObject().put("id", "p-42").put("state", "running")));
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);

    socket.send(new JsonObject().put("type", "run").put("command", "echo hello").put("requestId", 9));
    JsonObject ack = socket.await("ack", frame -> "ack".equals(frame.getString("type")));
    vertx.eventBus().publish(Addresses.EVENT_OUTPUT, outputEvent("p-42", 0, "hello\n"));

    assertThat(ack).isEqualTo(new JsonObject().put("type", "ack").put("requestId", 9)
        .put("record", new JsonObject().put("id", "p-42").put("state", "running")));
    Message<Object> request = submitted.get(10, TimeUnit.SECONDS);
    assertThat(request.body()).isEqualTo(new JsonObject().put("command", "echo hello"));
    assertThat(request.headers().get(Addresses.HEADER_OWNER)).isEqualTo("root");
    assertThat(request.headers().get(Addresses.HEADER_ROLE)).isEqualTo("admin");
    assertThat(request.headers().get(Addresses.HEADER_CLIENT)).startsWith("ws-");
    socket.await("its output", frame -> frame.equals(outputEvent("p-42", 0, "hello\n")));
  }

  @Test
  void aRefusedRequestIsAnsweredWithTheWholeError() throws Exception {
    JsonObject error = new JsonObject().put("error", "security_violation").put("message", "refused")
        .put("violations", new JsonArray().add(new JsonObject().put("type", "command_injection")));
    answer(vertx, Addresses.SUBMIT, message -> message.fail(403, error.encode()));
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);

    socket.send(new JsonObject().put("type", "run").put("command", "ls; rm -rf /").put("requestId", "r1"));

    JsonObject frame = socket.await("error", f -> "error".equals(f.getString("type")));
    assertThat(frame).isEqualTo(error.copy().put("type", "error").put("requestId", "r1"));
  }

  @Test
  void badMessagesGetAnErrorAndTheSocketStaysUsable() throws Exception {
    answer(vertx, Addresses.CANCEL, message -> message.reply(new JsonObject().put("id", "p-5").put("state", "cancelled")));
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    List<String> badMessages = List.of(
        "not json",
        "[1, 2]",
        "{}",
        "{\"type\": \"explode\"}",
        "{\"type\": 7}",
        "{\"type\": \"cancel\"}",
        "{\"type\": \"suspend\", \"id\": 12}",
        "{\"type\": \"subscribe\"}",
        "{\"type\": \"subscribe\", \"output\": [1]}",
        "{\"type\": \"run\", \"command\": \"cat /etc/passwd\", \"command\": \"ls\"}");

    for (String message : badMessages) {
      socket.sendText(message);
    }
    Await.result(socket.socket().writeBinaryMessage(Buffer.buffer("{\"type\":\"cancel\",\"id\":\"p-5\"}")));
    socket.send(new JsonObject().put("type", "cancel").put("id", "p-5").put("requestId", "last"));

    socket.await("the last ack", frame -> "last".equals(frame.getValue("requestId")));
    List<JsonObject> errors = socket.frames().stream().filter(f -> "error".equals(f.getString("type"))).toList();
    assertThat(errors).hasSize(badMessages.size() + 1).allSatisfy(error -> {
      assertThat(error.getString("error")).isEqualTo("invalid_request");
      assertThat(error.getString("message")).isNotBlank();
    });
  }

  @Test
  void withoutAnEngineARequestIsAnsweredUnavailable() throws Exception {
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);

    socket.send(new JsonObject().put("type", "resume").put("id", "p-1").put("requestId", 3));

    JsonObject frame = socket.await("error", f -> "error".equals(f.getString("type")));
    assertThat(frame.getString("error")).isEqualTo("unavailable");
    assertThat(frame.getInteger("requestId")).isEqualTo(3);
  }

  @Test
  void closingTheSocketTellsTheEngineTheClientIsGone() throws Exception {
    CompletableFuture<Message<Object>> submitted = answer(vertx, Addresses.SUBMIT,
        message -> message.reply(new JsonObject().put("id", "p-1")));
    CompletableFuture<Message<Object>> gone = answer(vertx, Addresses.CLIENT_GONE, message -> { });
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    socket.send(new JsonObject().put("type", "run").put("command", "sleep 30"));
    socket.await("ack", frame -> "ack".equals(frame.getString("type")));

    socket.close();

    String clientId = submitted.get(10, TimeUnit.SECONDS).headers().get(Addresses.HEADER_CLIENT);
    assertThat(gone.get(10, TimeUnit.SECONDS).body()).isEqualTo(new JsonObject().put("clientId", clientId));
  }

  @Test
  void aClientThatCannotKeepUpIsClosed() throws Exception {
    CompletableFuture<Message<Object>> gone = answer(vertx, Addresses.CLIENT_GONE, message -> { });
    FeedSocket slow = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    awaitConnected(slow);
    slow.socket().pause();
    JsonObject bigEvent = processEvent("p-1", 0).put("padding", "x".repeat(32 * 1024));
    int events = 1000;

    // 32 MiB, far more than the socket buffers hold, published steadily while nobody reads.
    CompletableFuture<Void> allPublished = new CompletableFuture<>();
    AtomicInteger published = new AtomicInteger();
    vertx.setPeriodic(1, tick -> {
      if (published.incrementAndGet() <= events) {
        vertx.eventBus().publish(Addresses.EVENT_PROCESS, bigEvent);
      } else {
        vertx.cancelTimer(tick);
        allPublished.complete(null);
      }
    });
    allPublished.get(20, TimeUnit.SECONDS);
    slow.socket().resume();

    slow.awaitClosed();
    assertThat(slow.socket().closeStatusCode()).isEqualTo(FeedChannel.CANNOT_KEEP_UP);
    assertThat(slow.socket().closeReason()).isEqualTo("cannot keep up");
    assertThat(slow.frames()).as("frames the server wrote before it gave up").hasSizeLessThan(events);
    assertThat(EngineMetrics.registry(vertx).get("isometry.feed.dropped").counter().count()).isEqualTo(1);
    assertThat(gone.get(10, TimeUnit.SECONDS).body().toString()).contains("clientId");
  }

  /** Sockets join the feed asynchronously: a marker event that comes back shows they are in. */
  private void awaitConnected(FeedSocket... sockets) throws InterruptedException {
    Predicate<JsonObject> marker = publishMarker();
    for (FeedSocket socket : sockets) {
      socket.await("marker", marker);
    }
  }

  /** Publishes a stats event no other is equal to; answers the test for its frame. */
  private Predicate<JsonObject> publishMarker() {
    JsonObject marker = new JsonObject().put("type", "stats").put("marker", UUID.randomUUID().toString());
    vertx.eventBus().publish(Addresses.EVENT_STATS, marker);
    return marker::equals;
  }

  private static List<JsonObject> outputFrames(FeedSocket socket) {
    return socket.frames().stream().filter(f -> "output".equals(f.getString("type"))).toList();
  }

  private static JsonObject json(RawWebSocket.Frame frame) {
    assertThat(frame.opcode()).as("a text frame").isEqualTo(RawWebSocket.Frame.TEXT);
    assertThat(frame.fin()).as("a whole message").isTrue();
    return new JsonObject(new String(frame.payload(), StandardCharsets.UTF_8));
  }

  private static JsonObject processEvent(String id, int sequence) {
    return new JsonObject().put("type", "process")
        .put("record", new JsonObject().put("id", id).put("durationMs", sequence));
  }

  private static JsonObject outputEvent(String id, long offset, String data) {
    return new JsonObject().put("type", "output").put("id", id).put("stream", "stdout").put("offset", offset)
        .put("bytes", data.length()).put("data", data);
  }

}
