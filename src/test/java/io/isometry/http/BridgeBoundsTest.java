package io.isometry.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.contract.Addresses;
import io.isometry.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bridge client may cost the engine: no frame over {@code http.maxBodyBytes} is buffered, on
 * either bridge, and no connection stays without a valid token for more than 5 s. Real sockets
 * against a real engine in this JVM, so its heap and RSS are this process's.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeBoundsTest {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeBoundsTest.class);
  private static final long MIB = 1024 * 1024;
  /** How much the engine's memory may grow while a client streams into one frame. */
  private static final long MEMORY_GROWTH_BOUND = 64 * MIB;
  /** How much the flooding client may stream before giving up on being cut off. */
  private static final long FLOOD_BYTES = 512 * MIB;

  private Vertx vertx;
  private int port;
  private int tcpPort;
  private int maxBodyBytes;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path temp) throws Exception {
    this.vertx = vertx;
    TokenEngine engine = TokenEngine.withBridge(vertx, temp);
    port = engine.port();
    JsonObject capabilities = engine.as(Tokens.ALICE).get("/api/v1/capabilities").json();
    tcpPort = capabilities.getInteger("tcpBridgePort");
    maxBodyBytes = capabilities.getInteger("maxBodyBytes");
  }

  @Test
  void tcp_refuses_a_frame_announced_over_the_bound_before_reading_it() throws Exception {
    long[] announcements = {maxBodyBytes + 1L, 128 * MIB, Integer.MAX_VALUE, 1L << 31, (1L << 32) - 1};
    for (long announced : announcements) {
      try (TcpFrames client = TcpFrames.connect(vertx, tcpPort)) {
        client.sendRaw(Buffer.buffer().appendUnsignedInt(announced).appendString("{\"type\":\"send\""));

        JsonObject refusal = client.await("the refusal of " + announced, frame -> "err".equals(frame.getString("type")));
        client.awaitClosed();
        assertThat(refusal.getString("error")).as("announced %d", announced).isEqualTo("payload_too_large");
        assertThat(refusal.getString("message")).contains(String.valueOf(maxBodyBytes), String.valueOf(announced));
      }
    }
  }

  @Test
  void tcp_cuts_off_a_2_gib_announcement_streamed_at_full_speed_without_buffering_it() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    long rssBefore = rssBytes();
    AtomicLong heapPeak = new AtomicLong(heapBefore);
    AtomicLong rssPeak = new AtomicLong(rssBefore);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> {
      heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      rssPeak.accumulateAndGet(rssBytes(), Math::max);
    }, 0, 5, TimeUnit.MILLISECONDS);

    long written = 0;
    long started = System.nanoTime();
    IOException cutOff = null;
    try (Socket socket = new Socket("127.0.0.1", tcpPort)) {
      // Should the engine stop reading without closing, the writes would block for ever: a watchdog ends them.
      sampler.schedule(() -> closeQuietly(socket), 30, TimeUnit.SECONDS);
      OutputStream out = socket.getOutputStream();
      out.write(Buffer.buffer().appendInt(Integer.MAX_VALUE).getBytes());
      byte[] chunk = new byte[(int) MIB];
      while (written < FLOOD_BYTES) {
        out.write(chunk);
        written += chunk.length;
      }
    } catch (IOException e) {
      cutOff = e;
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    Thread.sleep(200);
    sampler.shutdownNow();

    long heapGrowth = heapPeak.get() - heapBefore;
    long rssGrowth = rssPeak.get() - rssBefore;
    LOG.info("2 GiB announcement: cut off after {} ms and {} MiB written; heap peak growth {} KiB, RSS peak growth {} KiB",
        elapsedMs, written / MIB, heapGrowth / 1024, rssGrowth / 1024);
    assertThat(cutOff).as("the engine closed the connection").isNotNull();
    assertThat(elapsedMs).isLessThan(10_000);
    assertThat(written).as("bytes taken before the cut (socket buffers only)").isLessThan(64 * MIB);
    assertThat(heapGrowth).isLessThan(MEMORY_GROWTH_BOUND);
    assertThat(rssGrowth).isLessThan(MEMORY_GROWTH_BOUND);

    try (TcpFrames after = TcpFrames.connect(vertx, tcpPort)) {
      assertThat(stats(after, "after").getJsonObject("body").fieldNames()).contains("running");
    }
  }

  @Test
  void tcp_answers_a_frame_of_exactly_the_bound() throws Exception {
    try (TcpFrames client = TcpFrames.connect(vertx, tcpPort)) {
      JsonObject frame = statsRequest("full");
      frame.getJsonObject("body").put("padding", "");
      frame.getJsonObject("body").put("padding", "p".repeat(maxBodyBytes - frame.encode().length()));
      assertThat(frame.encode().length()).isEqualTo(maxBodyBytes);

      client.send(frame);

      JsonObject answer = client.await("the stats", received -> "full".equals(received.getString("address")));
      assertThat(answer.getString("type")).isEqualTo("message");
    }
  }

  @Test
  void connections_without_a_valid_token_are_closed_after_5_s_on_both_bridges() throws Exception {
    long started = System.nanoTime();
    try (TcpFrames silent = TcpFrames.connect(vertx, tcpPort); TcpFrames known = TcpFrames.connect(vertx, tcpPort)) {
      FeedSocket sockJs = FeedSocket.open(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
          .setURI("/eventbus/websocket"));
      // A ping is answered, but it is not a token.
      silent.send(new JsonObject().put("type", "ping"));
      silent.await("the pong", frame -> "pong".equals(frame.getString("type")));
      stats(known, "in-time");

      silent.awaitClosed();
      long tcpClosedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      sockJs.awaitClosed();
      long sockJsClosedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(silent.frames()).filteredOn(frame -> "err".equals(frame.getString("type")))
          .singleElement().satisfies(frame -> assertThat(frame.getString("error")).isEqualTo("unauthorized"));
      assertThat(tcpClosedMs).isBetween(BridgeAccess.AUTH_GRACE_MS, 15_000L);
      assertThat(sockJsClosedMs).isBetween(BridgeAccess.AUTH_GRACE_MS, 15_000L);
      known.send(new JsonObject().put("type", "ping"));
      known.await("a pong after the deadline", frame -> "pong".equals(frame.getString("type")));
    }
  }

  @Test
  void sockjs_closes_a_socket_that_sends_a_message_over_the_bound() throws Exception {
    // From before the connections: closed sooner than the grace period after it, none was closed by its timer.
    long started = System.nanoTime();
    String oversized = registerFrame("x".repeat(maxBodyBytes)).encode();
    // One WebSocket frame over the bound: the client may send frames that large.
    FeedSocket oneFrame = FeedSocket.open(vertx, new WebSocketClientOptions().setMaxFrameSize(4 * maxBodyBytes),
        raw());
    // The same message in frames each within the bound (the client cuts at its default of 64 KiB).
    FeedSocket fragmented = FeedSocket.open(vertx, new WebSocketClientOptions(), raw());
    // A SockJS session's transport, whose messages are arrays of frames (and whose own frames are not JSON).
    WebSocketClient sessionClient = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(4 * maxBodyBytes));
    WebSocket session = Await.result(sessionClient.connect(new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI("/eventbus/000/bounds/websocket")));
    Promise<Void> sessionClosed = Promise.promise();
    session.closeHandler(sessionClosed::tryComplete);
    // Each authenticates first, so that only the size can close it.
    oneFrame.send(registerFrame(""));
    fragmented.send(registerFrame(""));
    Await.result(session.writeTextMessage(new JsonArray().add(registerFrame("").encode()).encode()));

    oneFrame.sendText(oversized);
    fragmented.sendText(oversized);
    Await.result(session.writeTextMessage(new JsonArray().add(oversized).encode()));

    oneFrame.awaitClosed();
    fragmented.awaitClosed();
    Await.result(sessionClosed.future());
    long closedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    LOG.info("oversized SockJS messages: sockets closed after {} ms, with {}, {}, {}", closedMs,
        oneFrame.socket().closeStatusCode(), fragmented.socket().closeStatusCode(), session.closeStatusCode());
    assertThat(closedMs).isLessThan(BridgeAccess.AUTH_GRACE_MS);
    Await.result(sessionClient.close());
  }

  @Test
  void sockjs_offers_no_polling_transport() {
    RestCalls calls = new RestCalls(port, Tokens.ALICE);
    for (String transport : new String[] {"xhr", "xhr_send", "xhr_streaming", "jsonp", "jsonp_send", "eventsource",
        "htmlfile"}) {
      assertThat(calls.post("/eventbus/000/polling/" + transport, "[\"{}\"]").status()).as(transport).isEqualTo(404);
    }
  }

  private WebSocketConnectOptions raw() {
    return new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI("/eventbus/websocket");
  }

  private static JsonObject registerFrame(String padding) {
    return new JsonObject().put("type", "register").put("address", Addresses.EVENT_STATS)
        .put("headers", new JsonObject().put("token", Tokens.ALICE)).put("padding", padding);
  }

  private static JsonObject statsRequest(String replyAddress) {
    return new JsonObject().put("type", "send").put("address", Addresses.STATS).put("replyAddress", replyAddress)
        .put("headers", new JsonObject().put("token", Tokens.VIEWER)).put("body", new JsonObject());
  }

  private static JsonObject stats(TcpFrames client, String replyAddress) throws Exception {
    client.send(statsRequest(replyAddress));
    return client.await("the stats", frame -> replyAddress.equals(frame.getString("address")));
  }

  /** This process's resident set, from the kernel. */
  private static long rssBytes() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("VmRSS:"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // The flood ends either way; the assertions say whether the engine ended it.
    }
  }
}
