package io.isometry.http;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.engine.EngineVerticle;
import io.isometry.testing.EngineFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/rejections}: the audit trail of refused requests, read back through a real engine. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RejectionsApiTest {

  private static final String ALICE = "alice-token-0123456789";
  private static final String BOB = "bob-token-0123456789";
  private static final String AUDITOR = "auditor-token-0123456789";

  @TempDir
  Path root;

  @Test
  void refusedRequestsAreReadBackNewestFirstEachOwnerItsOwn(Vertx vertx) throws Exception {
    JsonObject config = EngineFixture.config(root, new JsonObject().put("auth", new JsonObject().put("tokens",
        new JsonArray().add(Tokens.token(ALICE, "alice", "operator")).add(Tokens.token(BOB, "bob", "operator"))
            .add(Tokens.token(AUDITOR, "auditor", "viewer")))));
    EngineVerticle engine = result(EngineFixture.deploy(vertx, config));
    RestCalls alice = new RestCalls(engine.httpPort(), ALICE);
    RestCalls bob = new RestCalls(engine.httpPort(), BOB);
    RestCalls auditor = new RestCalls(engine.httpPort(), AUDITOR);

    assertThat(alice.post("/api/v1/processes", new JsonObject().put("command", "cat /etc/shadow")).status())
        .isEqualTo(403);
    assertThat(alice.post("/api/v1/processes", new JsonObject().put("command", "rm -rf /")).status()).isEqualTo(403);
    assertThat(bob.post("/api/v1/processes", new JsonObject().put("command", "echo $(id)")).status()).isEqualTo(403);

    List<JsonObject> everyone = awaitItems(auditor, 3);
    assertThat(everyone).extracting(item -> item.getJsonObject("request").getString("command"))
        .containsExactly("echo $(id)", "rm -rf /", "cat /etc/shadow");
    assertThat(everyone.get(0).getString("owner")).isEqualTo("bob");
    assertThat(everyone.get(0).getJsonArray("violations")).isNotEmpty();
    assertThat(everyone.get(0).getString("at")).isNotBlank();
    assertThat(items(alice, "")).extracting(item -> item.getString("owner")).containsExactly("alice", "alice");
    assertThat(items(auditor, "?limit=1")).hasSize(1);
    assertThat(auditor.get("/api/v1/rejections?limit=0").status()).isEqualTo(400);
  }

  /** The journal writes a rejection after the refusal is answered: wait for it to have all of them. */
  private static List<JsonObject> awaitItems(RestCalls reader, int count) throws InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      List<JsonObject> items = items(reader, "");
      if (items.size() >= count) {
        return items;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("fewer than " + count + " rejections in the journal");
  }

  private static List<JsonObject> items(RestCalls reader, String query) {
    RestCalls.Reply reply = reader.get("/api/v1/rejections" + query);
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }
}
