package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.config.ConfigLoader;
import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class ValidationVerticleTest {

  private static final DeliveryOptions ALICE = Caller.trustedHost("alice").headers();

  @TempDir
  Path workspace;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext testContext) throws IOException {
    // A request is judged in its caller's own workspace.
    Files.createDirectories(workspace.resolve("alice").resolve("src"));
    DeploymentOptions options = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setInstances(2)
        .setConfig(ConfigLoader.withOverrides(new JsonObject().put("workspace", workspace.toString())));
    vertx.deployVerticle(ValidationVerticle::new, options).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void answersAnAllowedRequestWithItsPlan(Vertx vertx, VertxTestContext testContext) {
    JsonObject body = new JsonObject().put("command", "ls -la").put("cwd", "src")
        .put("env", new JsonObject().put("ISOMETRY_MODE", "x"));

    vertx.eventBus().<JsonObject>request(Addresses.VALIDATE, body, ALICE).onComplete(testContext.succeeding(reply ->
        testContext.verify(() -> {
          JsonObject result = reply.body();
          assertThat(result.getBoolean("allowed")).isTrue();
          assertThat(result.getJsonArray("violations")).isEmpty();
          JsonObject plan = result.getJsonObject("plan");
          assertThat(plan.getJsonArray("argv").getString(0)).startsWith("/").endsWith("/ls");
          assertThat(plan.getJsonArray("argv").getString(1)).isEqualTo("-la");
          assertThat(plan.getString("cwd")).isEqualTo("src");
          assertThat(plan.getJsonObject("env").getString("ISOMETRY_MODE")).isEqualTo("x");
          assertThat(plan.getJsonObject("env").getString("PATH"))
              .isEqualTo(ConfigLoader.defaults().getJsonObject("security").getString("searchPath"));
          testContext.completeNow();
        })));
  }

  @Test
  void answersARefusedRequestWithItsViolations(Vertx vertx, VertxTestContext testContext) {
    JsonObject body = new JsonObject().put("command", "ls -la a; id");

    vertx.eventBus().<JsonObject>request(Addresses.VALIDATE, body, ALICE).onComplete(testContext.succeeding(reply ->
        testContext.verify(() -> {
          JsonObject result = reply.body();
          assertThat(result.getBoolean("allowed")).isFalse();
          assertThat(result.getValue("plan")).isNull();
          assertThat(result.getJsonArray("violations")).containsExactly(new JsonObject()
              .put("type", "command_injection").put("severity", "critical")
              .put("message", "Shell operators are not allowed: ';' at position 8")
              .put("detail", new JsonObject().put("token", ";").put("position", 8)));
          testContext.completeNow();
        })));
  }

  @Test
  void refusesARequestThatSaysNotWhoAsks(Vertx vertx, VertxTestContext testContext) {
    JsonObject body = new JsonObject().put("command", "ls -la");

    vertx.eventBus().request(Addresses.VALIDATE, body).onComplete(testContext.failing(failure ->
        testContext.verify(() -> {
          assertThat(((ReplyException) failure).failureCode()).isEqualTo(403);
          assertThat(workspace.resolve("anonymous")).doesNotExist();
          testContext.completeNow();
        })));
  }

  @Test
  void failsAMalformedBodyWith400(Vertx vertx, VertxTestContext testContext) {
    JsonObject body = new JsonObject().put("command", "ls").put("argv", new JsonArray().add("ls"));

    vertx.eventBus().request(Addresses.VALIDATE, body).onComplete(testContext.failing(failure ->
        testContext.verify(() -> {
          assertThat(failure).isInstanceOf(ReplyException.class);
          assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);
          JsonObject error = new JsonObject(failure.getMessage());
          assertThat(error.getString("error")).isEqualTo("invalid_request");
          assertThat(error.getString("message")).contains("exactly one of");
          testContext.completeNow();
        })));
  }

  @Test
  void failsABodyThatIsNotAJsonObjectWith400(Vertx vertx, VertxTestContext testContext) {
    vertx.eventBus().request(Addresses.VALIDATE, "ls -la").onComplete(testContext.failing(failure ->
        testContext.verify(() -> {
          assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);
          assertThat(new JsonObject(failure.getMessage()).getString("error")).isEqualTo("invalid_request");
          testContext.completeNow();
        })));
  }
}
