package io.isometry.http;

import io.isometry.contract.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** Both event-bus bridges against a real engine, spoken in their wire protocols. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeTest {

  private static final String SOCKJS_WEBSOCKET = "/eventbus/websocket";

  private Vertx vertx;
  private int port;
  private int tcpPort;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path temp) throws Exception {
    this.vertx = vertx;
    TokenEngine engine = TokenEngine.withBridge(vertx, temp);
    port = engine.port();
    RestCalls.Reply capabilities = engine.as(Tokens.ALICE).get("/api/v1/capabilities");
    assertThat(capabilities.status()).as(capabilities.body()).isEqualTo(200);
    tcpPort = capabilities.json().getInteger("tcpBridgePort");
    assertThat(capabilities.json().getJsonObject("principal").getString("name")).isEqualTo("alice");
  }

  @Test
  void sockjsRequestsSpeakForTheTokenAndEventsReachOnlyThoseWhoMaySeeThem() throws Exception {
    FeedSocket alice = sockJs(Tokens.ALICE, Addresses.EVENT_PROCESS, Addresses.EVENT_OUTPUT);
    FeedSocket bob = sockJs(Tokens.BOB, Addresses.EVENT_PROCESS, Addresses.EVENT_OUTPUT);
    FeedSocket viewer = sockJs(Tokens.VIEWER, Addresses.EVENT_PROCESS);

    // The client claims to be root with the admin role: the bridge overwrites that with the token's principal.
    alice.send(new JsonObject().put("type", "send").put("address", Addresses.SUBMIT).put("replyAddress", "reply-1")
        .put("headers", new JsonObject().put("token", Tokens.ALICE).put("owner", "root").put("role", "admin"))
        .put("body", new JsonObject().put("command", "echo from alice")));

    JsonObject reply = alice.await("the reply", frame -> "reply-1".equals(frame.getString("address")));
    JsonObject record = reply.getJsonObject("body");
    assertThat(record.getString("owner")).isEqualTo("alice");
    String id = record.getString("id");
    alice.await("its output", frame -> Addresses.EVENT_OUTPUT.equals(frame.getString("address"))
        && "from alice\n".equals(frame.getJsonObject("body").getString("data")));
    viewer.await("its end", frame -> isProcess(frame, id) && "succeeded".equals(state(frame)));
    alice.await("its end", frame -> isProcess(frame, id) && "succeeded".equals(state(frame)));
    awaitMarker(bob);
    assertThat(bob.frames()).as("bob sees nothing of alice's process")
        .noneMatch(frame -> frame.encode().contains(id));
  }

  @Test
  void stdinGoesThroughBothBridgesForThoseWhoMayCancel() throws Exception {
    RestCalls alice = new RestCalls(port, Tokens.ALICE);
    RestCalls.Reply submitted = alice.post("/api/v1/processes", new JsonObject().put("command", "cat").put("stdin", true));
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    String id = submitted.json().getString("id");
    FeedSocket sockJs = sockJs(Tokens.ALICE);
    try (TcpFrames tcp = TcpFrames.connect(vertx, tcpPort)) {
      tcp.send(stdinFrame(Tokens.BOB, id, new JsonObject().put("data", "bob\n"), "bob"));
      tcp.send(stdinFrame(Tokens.VIEWER, id, new JsonObject().put("data", "viewer\n"), "viewer"));
      tcp.send(stdinFrame(Tokens.ALICE, id, new JsonObject().put("data", "over tcp\n"), "tcp"));
      JsonObject bobs = tcp.await("bob's refusal", frame -> "bob".equals(frame.getString("address")));
      JsonObject viewers = tcp.await("the viewer's refusal", frame -> "viewer".equals(frame.getString("address")));
      tcp.await("alice's write", frame -> "tcp".equals(frame.getString("address")));
      assertThat(bobs.getInteger("failureCode")).isEqualTo(404);
      assertThat(viewers.getInteger("failureCode")).isEqualTo(403);
    }
    sockJs.send(stdinFrame(Tokens.ALICE, id, new JsonObject().put("data", "over sockjs\n").put("eof", true), "sockjs"));
    JsonObject written = sockJs.await("the write's reply", frame -> "sockjs".equals(frame.getString("address")));
    assertThat(written.getJsonObject("body").getBoolean("stdin")).isTrue();

    JsonObject ended = StdinTest.awaitEnd(alice, id);
    assertThat(ended.getString("state")).isEqualTo("succeeded");
    assertThat(alice.get("/api/v1/processes/" + id + "/output").body()).isEqualTo("over tcp\nover sockjs\n");
  }

  private static JsonObject stdinFrame(String token, String id, JsonObject write, String replyAddress) {
    return new JsonObject().put("type", "send").put("address", Addresses.STDIN).put("replyAddress", replyAddress)
        .put("headers", new JsonObject().put("token", token)).put("body", write.put("id", id));
  }

  @Test
  void sockjsRefusesFramesWithoutAValidTokenAndClosesTheSocket() throws Exception {
    FeedSocket socket = FeedSocket.open(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI(SOCKJS_WEBSOCKET));

    socket.send(new JsonObject().put("type", "register").put("address", Addresses.EVENT_PROCESS)
        .put("headers", new JsonObject().put("token", "forged-token-0123456789")));

    socket.awaitClosed();
    assertThat(socket.frames()).isNotEmpty().allSatisfy(frame -> assertThat(frame.getString("type")).isEqualTo("err"));
  }

  @Test
  void sockjsRefusesAPageOfAnotherOrigin() {
    Throwable refused = null;
    try {
      FeedSocket.open(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
          .setURI(SOCKJS_WEBSOCKET).addHeader("Origin", "http://evil.example"));
    } catch (Exception e) {
      refused = e;
    }
    assertThat(refused).hasMessageContaining("403");
  }

  @Test
  void tcpRequestsSpeakForTheTokenAndOperatorsListenOnTheirOwnChannel() throws Exception {
    try (TcpFrames alice = TcpFrames.connect(vertx, tcpPort);
         TcpFrames bob = TcpFrames.connect(vertx, tcpPort);
         TcpFrames admin = TcpFrames.connect(vertx, tcpPort)) {
      speakAndListen(alice, bob, admin);
    }
  }

  private void speakAndListen(TcpFrames alice, TcpFrames bob, TcpFrames admin) throws Exception {
    tcpRegister(alice, OwnerChannels.channel(Addresses.EVENT_PROCESS, "alice"), Tokens.ALICE);
    tcpRegister(bob, OwnerChannels.channel(Addresses.EVENT_PROCESS, "bob"), Tokens.BOB);
    tcpRegister(admin, Addresses.EVENT_PROCESS, Tokens.ADMIN);
    tcpRegister(bob, Addresses.EVENT_PROCESS, Tokens.BOB);
    tcpRegister(bob, OwnerChannels.channel(Addresses.EVENT_PROCESS, "alice"), Tokens.BOB);
    bob.await("two refusals", frame -> bob.frames().stream()
        .filter(f -> "err".equals(f.getString("type"))).count() == 2);

    alice.send(new JsonObject().put("type", "send").put("address", Addresses.SUBMIT).put("replyAddress", "r-1")
        .put("headers", new JsonObject().put("token", Tokens.ALICE).put("role", "admin"))
        .put("body", new JsonObject().put("command", "echo over tcp")));

    JsonObject reply = alice.await("the reply", frame -> "r-1".equals(frame.getString("address")));
    String id = reply.getJsonObject("body").getString("id");
    assertThat(reply.getJsonObject("body").getString("owner")).isEqualTo("alice");
    alice.await("its end on alice's channel", frame -> isProcess(frame, id) && "succeeded".equals(state(frame)));
    admin.await("its end on the shared address", frame -> isProcess(frame, id) && "succeeded".equals(state(frame)));
    assertThat(bob.frames()).noneMatch(frame -> frame.encode().contains(id));
  }

  @Test
  void tcpRefusesAFrameWithoutATokenAndClosesTheConnection() throws Exception {
    try (TcpFrames anonymous = TcpFrames.connect(vertx, tcpPort)) {
      refusedAndClosed(anonymous);
    }
  }

  private static void refusedAndClosed(TcpFrames anonymous) throws Exception {

    anonymous.send(new JsonObject().put("type", "send").put("address", Addresses.LIST).put("replyAddress", "r")
        .put("body", new JsonObject()));

    anonymous.awaitClosed();
    assertThat(anonymous.frames()).isNotEmpty().allSatisfy(frame -> assertThat(frame.getString("type")).isEqualTo("err"));
  }

  @Test
  void tcpViewersReadButMayNotSubmit() throws Exception {
    try (TcpFrames viewer = TcpFrames.connect(vertx, tcpPort)) {
      readsButMayNotSubmit(viewer);
    }
  }

  private static void readsButMayNotSubmit(TcpFrames viewer) throws Exception {
    // Headers that claim another role and owner, in spellings the event bus would read as its own.
    viewer.send(new JsonObject().put("type", "send").put("address", Addresses.SUBMIT).put("replyAddress", "r-2")
        .put("headers", new JsonObject().put("token", Tokens.VIEWER).put("Role", "admin").put("OWNER", "bob"))
        .put("body", new JsonObject().put("command", "true")));
    viewer.send(new JsonObject().put("type", "send").put("address", Addresses.STATS).put("replyAddress", "r-3")
        .put("headers", new JsonObject().put("token", Tokens.VIEWER)).put("body", new JsonObject()));

    JsonObject refused = viewer.await("the refusal", frame -> "r-2".equals(frame.getString("address")));
    JsonObject stats = viewer.await("the stats", frame -> "r-3".equals(frame.getString("address")));
    assertThat(refused.getString("type")).isEqualTo("err");
    assertThat(refused.getInteger("failureCode")).isEqualTo(403);
    assertThat(stats.getJsonObject("body").fieldNames()).contains("running");
  }

  /** A SockJS socket registered with {@code token} on {@code addresses} and on stats, once it is in. */
  private FeedSocket sockJs(String token, String... addresses) throws Exception {
    FeedSocket socket = FeedSocket.open(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI(SOCKJS_WEBSOCKET));
    for (String address : addresses) {
      socket.send(new JsonObject().put("type", "register").put("address", address)
          .put("headers", new JsonObject().put("token", token)));
    }
    socket.send(new JsonObject().put("type", "register").put("address", Addresses.EVENT_STATS)
        .put("headers", new JsonObject().put("token", token)));
    awaitMarker(socket);
    return socket;
  }

  private static void tcpRegister(TcpFrames socket, String address, String token) throws Exception {
    socket.send(new JsonObject().put("type", "register").put("address", address)
        .put("headers", new JsonObject().put("token", token)));
  }

  /**
   * Registrations take effect asynchronously, in order: a stats event published until it comes back
   * shows that those before it are in, and that everything published earlier has arrived.
   */
  private void awaitMarker(FeedSocket socket) throws InterruptedException {
    String marker = UUID.randomUUID().toString();
    long timer = vertx.setPeriodic(50, t -> vertx.eventBus().publish(Addresses.EVENT_STATS,
        new JsonObject().put("type", "stats").put("marker", marker)));
    try {
      socket.await("marker", frame -> frame.getJsonObject("body") != null
          && marker.equals(frame.getJsonObject("body").getString("marker")));
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  private static boolean isProcess(JsonObject frame, String id) {
    JsonObject body = frame.getJsonObject("body");
    return body != null && "process".equals(body.getString("type")) && id.equals(body.getJsonObject("record").getString("id"));
  }

  private static String state(JsonObject frame) {
    return frame.getJsonObject("body").getJsonObject("record").getString("state");
  }
}
