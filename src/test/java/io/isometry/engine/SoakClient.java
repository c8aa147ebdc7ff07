package io.isometry.engine;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak's client of one engine: it submits {@code mkdir <label>} commands, alternately over REST
 * and over one WebSocket (both {@code background: true}, so that no socket takes its processes with
 * it), with a bounded number in flight, and writes down what the engine answered and what the feed
 * said of each record. Every wait is bounded: an engine that stops answering fails the soak, it
 * does not hang it.
 */
final class SoakClient implements AutoCloseable {

  static final String TOKEN = "engine-soak-token-0123456789";
  private static final int IN_FLIGHT = 32;
  private static final Duration ANSWER_PATIENCE = Duration.ofSeconds(60);

  /** What the engines answered over the whole soak, across restarts. */
  record Answers(Map<String, String> acknowledged, Set<String> unavailable, Map<String, String> phaseOf,
                 Map<String, String> seenByFeed, Map<String, Integer> otherAnswers, AtomicInteger sent) {
    Answers() {
      this(new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet(), new ConcurrentHashMap<>(),
          new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new AtomicInteger());
    }

    /** Records acknowledged in {@code phase}, by id. */
    Set<String> acknowledgedIn(String phase) {
      Set<String> ids = ConcurrentHashMap.newKeySet();
      acknowledged.forEach((label, id) -> {
        if (phase.equals(phaseOf.get(label))) {
          ids.add(id);
        }
      });
      return ids;
    }
  }

  private final int port;
  private final Answers answers;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
  private final Feed feed;

  SoakClient(int port, Answers answers) throws Exception {
    this.port = port;
    this.answers = answers;
    this.feed = new Feed();
    feed.socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/ws"), feed).get(30, TimeUnit.SECONDS);
  }

  /**
   * Sends commands, tagged {@code phase}, until {@code acknowledged} more than now are acknowledged
   * or {@code count} have been sent; then waits for every answer when {@code awaitAnswers}.
   */
  void send(String phase, int count, int acknowledged, boolean awaitAnswers) throws Exception {
    long goal = (long) answers.acknowledged().size() + acknowledged;
    for (int n = 0; n < count && answers.acknowledged().size() < goal; n++) {
      if (!inFlight.tryAcquire(ANSWER_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException(IN_FLIGHT + " submits unanswered for " + ANSWER_PATIENCE.toSeconds() + " s");
      }
      int i = answers.sent().getAndIncrement();
      String label = "soak-" + i;
      answers.phaseOf().put(label, phase);
      JsonObject body = new JsonObject().put("command", "mkdir " + label).put("label", label).put("background", true);
      if (i % 2 == 0) {
        HttpRequest submit = request("/api/v1/processes").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
        http.sendAsync(submit, HttpResponse.BodyHandlers.ofString())
            .whenComplete((response, failure) -> {
              if (failure != null) {
                answers.otherAnswers().merge("REST " + failure.getClass().getSimpleName(), 1, Integer::sum);
              } else if (response.statusCode() == 202) {
                answers.acknowledged().put(label, new JsonObject(response.body()).getString("id"));
              } else {
                refused(label, "REST " + response.statusCode(), new JsonObject(response.body()).getString("error"));
              }
              inFlight.release();
            });
      } else {
        feed.run(body.put("type", "run").put("requestId", label));
      }
    }
    if (awaitAnswers) {
      awaitAnswers();
    }
  }

  /** Waits until nothing sent is unanswered. */
  void awaitAnswers() throws InterruptedException {
    if (!inFlight.tryAcquire(IN_FLIGHT, ANSWER_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException((IN_FLIGHT - inFlight.availablePermits()) + " submits still unanswered after "
          + ANSWER_PATIENCE.toSeconds() + " s");
    }
    inFlight.release(IN_FLIGHT);
  }

  private void refused(String label, String how, String error) {
    if ("unavailable".equals(error)) {
      answers.unavailable().add(label);
    } else {
      answers.otherAnswers().merge(how + " " + error, 1, Integer::sum);
    }
  }

  /** {@code /health}: its status code and body. */
  HttpResponse<String> health() throws Exception {
    return http.send(request("/health").GET().timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code /api/v1/stats}. */
  JsonObject stats() throws Exception {
    return new JsonObject(http.send(request("/api/v1/stats").GET().timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  /** Waits until nothing is queued or running, or fails after {@code patience}. */
  void awaitIdle(Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    JsonObject stats;
    do {
      Thread.sleep(200);
      stats = stats();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the engine is still busy after " + patience.toSeconds() + " s: " + stats);
      }
    } while (stats.getInteger("queued") > 0 || stats.getInteger("running") > 0);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + TOKEN);
  }

  @Override
  public void close() {
    feed.socket.abort();
  }

  /**
   * The WebSocket: runs commands (an ack with the record is its 202, an {@code unavailable} error its
   * 503) and hears every record's events, so that the soak knows what a client was told of each.
   */
  private final class Feed implements WebSocket.Listener {

    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    synchronized void run(JsonObject message) {
      socket.sendText(message.encode(), true).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        heard(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }

    private void heard(JsonObject message) {
      String type = message.getString("type");
      if ("process".equals(type)) {
        JsonObject record = message.getJsonObject("record");
        String reason = record.getString("reason");
        answers.seenByFeed().put(record.getString("id"), record.getString("state") + (reason == null ? "" : "/" + reason));
        return;
      }
      String requestId = message.getString("requestId");
      if (requestId != null && "ack".equals(type)) {
        answers.acknowledged().put(requestId, message.getJsonObject("record").getString("id"));
        inFlight.release();
      } else if (requestId != null && "error".equals(type)) {
        refused(requestId, "WebSocket", message.getString("error"));
        inFlight.release();
      }
    }
  }
}
