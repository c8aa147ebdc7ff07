package io.isometry.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A client of an engine in another process as a notebook's shell is one: submits {@code /bin/true}
 * over REST (the JDK's client) and learns of each end from one WebSocket feed. The round trip is
 * the time from the submit to the terminal event.
 */
final class RoundTripFeed implements WebSocket.Listener, AutoCloseable {

  private final Map<String, CompletableFuture<Void>> ended = new ConcurrentHashMap<>();
  private final StringBuilder partial = new StringBuilder();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final HttpRequest submit;
  private WebSocket socket;

  private RoundTripFeed(int port, String token) {
    submit = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/processes"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("command", "true").encode())).build();
  }

  static RoundTripFeed open(int port, String token) throws Exception {
    RoundTripFeed feed = new RoundTripFeed(port, token);
    feed.socket = feed.http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/ws"), feed).get(30, TimeUnit.SECONDS);
    return feed;
  }

  /** {@code runs} round trips one after another, in milliseconds. */
  double[] roundTrips(int runs) throws Exception {
    double[] samples = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      ended(http.send(submit, HttpResponse.BodyHandlers.ofString())).get(60, TimeUnit.SECONDS);
      samples[i] = (System.nanoTime() - start) / 1e6;
    }
    return samples;
  }

  /** {@code runs} submits with up to {@code inFlight} unfinished at a time; their rate per second. */
  double load(int runs, int inFlight) throws Exception {
    Semaphore slots = new Semaphore(inFlight);
    CompletableFuture<Void> failed = new CompletableFuture<>();
    long start = System.nanoTime();
    for (int i = 0; i < runs && !failed.isDone(); i++) {
      slots.acquire();
      http.sendAsync(submit, HttpResponse.BodyHandlers.ofString())
          .thenCompose(this::ended)
          .whenComplete((done, failure) -> {
            if (failure != null) {
              failed.completeExceptionally(failure);
            }
            slots.release();
          });
    }
    slots.acquire(inFlight);
    if (failed.isDone()) {
      failed.join();
    }
    return runs / ((System.nanoTime() - start) / 1e9);
  }

  private CompletableFuture<Void> ended(HttpResponse<String> response) {
    if (response.statusCode() != 202) {
      return CompletableFuture.failedFuture(new IllegalStateException(response.statusCode() + " " + response.body()));
    }
    return ended.computeIfAbsent(new JsonObject(response.body()).getString("id"), id -> new CompletableFuture<>());
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String id = endedProcess(partial.toString());
      partial.setLength(0);
      if (id != null) {
        ended.computeIfAbsent(id, key -> new CompletableFuture<>()).complete(null);
      }
    }
    webSocket.request(1);
    return null;
  }

  /** The id of the process whose end a feed message tells, or null for any other message. */
  static String endedProcess(String message) {
    JsonObject event = new JsonObject(message);
    if (!"process".equals(event.getString("type"))) {
      return null;
    }
    JsonObject record = event.getJsonObject("record");
    return record.getString("endedAt") != null ? record.getString("id") : null;
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
  }
}
