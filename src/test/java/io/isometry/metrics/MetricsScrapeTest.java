package io.isometry.metrics;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.client.IsometryClient;
import io.isometry.client.Submission;
import io.isometry.engine.EngineVerticle;
import io.isometry.engine.EngineVertx;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} is Prometheus text with the engine's series, and they move when processes run. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class MetricsScrapeTest {

  private static final String TOKEN = "metrics-test-token-0123456789";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path root;

  @Test
  void theSeriesExistAndMove(Vertx vertx) throws Exception {
    JsonObject config = EngineFixture.config(root, new JsonObject().put("auth", new JsonObject().put("tokens",
        new JsonArray().add(new JsonObject().put("token", TOKEN).put("principal", "ops").put("role", "viewer")))));
    EngineVerticle engine = result(EngineFixture.deploy(vertx, config));
    IsometryClient client = IsometryClient.trusted(vertx, "host");
    EventLog events = result(EventLog.attach(client));

    assertThat(scrape(engine, null).statusCode()).as("a token is needed").isEqualTo(401);
    String before = scrape(engine, TOKEN).body();
    assertThat(before).contains("isometry_processes_running", "isometry_processes_queued",
        "isometry_processes_background", "isometry_processes_suspended", "isometry_sampled_rss_bytes",
        "isometry_sampled_cpu_percent", "isometry_cleanup_sweeps_total");
    double startedBefore = value(before, "isometry_processes_started_total");

    events.awaitTerminal(result(client.submit(Submission.of("true"))).id(), 10_000);
    events.awaitTerminal(result(client.submit(Submission.of("false"))).id(), 10_000);
    try {
      result(client.submit(Submission.of("rm -rf /")));
    } catch (RuntimeException refused) {
      // Refused, as it should be: counted by violation type below.
    }

    String after = scrape(engine, TOKEN).body();
    assertThat(value(after, "isometry_processes_started_total")).isEqualTo(startedBefore + 2);
    assertThat(after).containsPattern("isometry_processes_finished_total\\{[^}]*reason=\"exit\"[^}]*state=\"succeeded\"[^}]*} 1\\.0")
        .containsPattern("isometry_processes_finished_total\\{[^}]*reason=\"exit\"[^}]*state=\"failed\"[^}]*} 1\\.0")
        .containsPattern("isometry_violations_total\\{type=\"command_not_allowed\"[^}]*} 1\\.0")
        .contains("isometry_spawn_latency_seconds_count", "isometry_queue_wait_seconds_count",
            "isometry_validation_latency_seconds_count");
    assertThat(value(after, "isometry_spawn_latency_seconds_count")).isEqualTo(2);
  }

  @Test
  void vertxOwnMetricsShareTheScrapeWhenVertxIsStartedWithThem() throws Exception {
    Vertx vertx = EngineVertx.create();
    try {
      JsonObject config = EngineFixture.config(root, new JsonObject().put("auth", new JsonObject().put("tokens",
          new JsonArray().add(new JsonObject().put("token", TOKEN).put("principal", "ops").put("role", "viewer")))));
      EngineVerticle engine = result(EngineFixture.deploy(vertx, config));

      String scrape = scrape(engine, TOKEN).body();

      assertThat(scrape).contains("vertx_eventbus_handlers", "vertx_http_server_", "isometry_processes_running");
    } finally {
      result(vertx.close());
    }
  }

  private HttpResponse<String> scrape(EngineVerticle engine, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.httpPort() + "/metrics"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of a series without labels (or the first with any). */
  private static double value(String scrape, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
    assertThat(matcher.find()).as("series %s in the scrape", series).isTrue();
    return Double.parseDouble(matcher.group(2));
  }
}
