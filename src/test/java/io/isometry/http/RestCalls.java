package io.isometry.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Blocking HTTP calls against a running engine, for tests, made with the JDK's HTTP client: it is
 * a client of its own (not the engine's Vert.x) and blocking is natural to it. The Vert.x client,
 * driven from a plain thread with {@code await()}, was seen to miss the end of a response about
 * once in a thousand requests here, while the server had written it whole.
 */
final class RestCalls {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** An HTTP answer. */
  record Reply(int status, MultiMap headers, String body) {

    JsonObject json() {
      return new JsonObject(body);
    }

    String contentType() {
      return headers.get("content-type");
    }
  }

  private final int port;
  private final String token;

  /** Calls with {@code token} as the bearer token (none when null). */
  RestCalls(int port, String token) {
    this.port = port;
    this.token = token;
  }

  /** The same calls made with another token (none when null). */
  RestCalls as(String otherToken) {
    return new RestCalls(port, otherToken);
  }

  Reply get(String path) {
    return send(HttpMethod.GET, path, null);
  }

  Reply post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, body.encode());
  }

  Reply post(String path, String body) {
    return send(HttpMethod.POST, path, body);
  }

  Reply send(HttpMethod method, String path, String body) {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return exchange(request(path).method(method.name(), publisher));
  }

  /** Posts {@code body} with its {@code Content-Type}. */
  Reply post(String path, String contentType, String body) {
    return exchange(request(path).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  /** Sends {@code body} as a chunked stream, without announcing its length up front. */
  Reply postChunked(String path, Buffer body) {
    byte[] bytes = body.getBytes();
    return exchange(request(path).POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT);
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  private static Reply exchange(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      response.headers().map().forEach(headers::add);
      return new Reply(response.statusCode(), headers, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
