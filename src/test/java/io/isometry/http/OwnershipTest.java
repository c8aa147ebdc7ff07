package io.isometry.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static io.isometry.http.HttpApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Operators see and control only their own processes, over REST and on the feed; viewers and admins see all. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OwnershipTest {

  private Vertx vertx;
  private int port;
  private RestCalls alice;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path temp) throws Exception {
    this.vertx = vertx;
    TokenEngine engine = TokenEngine.deploy(vertx, temp, new JsonObject());
    port = engine.port();
    alice = engine.as(Tokens.ALICE);
  }

  @Test
  void anotherOperatorSProcessDoesNotExistForAnOperator() {
    String id = submit("sleep 30");
    RestCalls bob = alice.as(Tokens.BOB);

    assertError(bob.get("/api/v1/processes/" + id), 404, "not_found");
    assertError(bob.get("/api/v1/processes/" + id + "/output"), 404, "not_found");
    assertError(bob.post("/api/v1/processes/" + id + "/cancel", ""), 404, "not_found");
    assertThat(ids(bob.get("/api/v1/processes").json())).doesNotContain(id);
    assertThat(ids(alice.get("/api/v1/processes").json())).contains(id);
    assertThat(ids(alice.as(Tokens.VIEWER).get("/api/v1/processes").json())).contains(id);
    assertError(alice.as(Tokens.VIEWER).post("/api/v1/processes/" + id + "/cancel", ""), 403, "forbidden");
    assertThat(alice.as(Tokens.ADMIN).post("/api/v1/processes/" + id + "/cancel", "").status()).isEqualTo(202);
  }

  @Test
  void theFeedCarriesAProcessOnlyToThoseWhoMaySeeIt() throws Exception {
    FeedSocket aliceFeed = FeedSocket.connect(vertx, port, Tokens.ALICE);
    FeedSocket bobFeed = FeedSocket.connect(vertx, port, Tokens.BOB);
    FeedSocket viewerFeed = FeedSocket.connect(vertx, port, Tokens.VIEWER);
    for (FeedSocket socket : new FeedSocket[] {aliceFeed, bobFeed, viewerFeed}) {
      socket.send(new JsonObject().put("type", "subscribe").put("output", new JsonArray().add("*")).put("requestId", 1));
      socket.await("subscribed", frame -> "ack".equals(frame.getString("type")));
    }

    String id = submit("echo for alice only");
    String bobs = submit(alice.as(Tokens.BOB), "echo for bob");

    for (FeedSocket socket : new FeedSocket[] {aliceFeed, viewerFeed}) {
      socket.await("alice's output", frame -> "output".equals(frame.getString("type")) && id.equals(frame.getString("id")));
      socket.await("alice's end", frame -> isEnd(frame, id));
    }
    bobFeed.await("bob's own end", frame -> isEnd(frame, bobs));
    assertThat(bobFeed.frames()).noneMatch(frame -> frame.encode().contains(id));
    assertThat(aliceFeed.frames()).noneMatch(frame -> frame.encode().contains(bobs));
  }

  private String submit(String command) {
    return submit(alice, command);
  }

  private static String submit(RestCalls rest, String command) {
    RestCalls.Reply reply = rest.post("/api/v1/processes", new JsonObject().put("command", command));
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    return reply.json().getString("id");
  }

  private static boolean isEnd(JsonObject frame, String id) {
    return "process".equals(frame.getString("type")) && id.equals(frame.getJsonObject("record").getString("id"))
        && "succeeded".equals(frame.getJsonObject("record").getString("state"));
  }

  private static java.util.List<String> ids(JsonObject list) {
    return list.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }
}
