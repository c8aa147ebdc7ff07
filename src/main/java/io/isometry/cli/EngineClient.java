package io.isometry.cli;

import io.isometry.contract.Fields;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * The engine as the command-line client sees it: REST calls and the WebSocket feed, with the bearer
 * token, through the JDK's own HTTP client (a terminal tool needs no event loop). Errors become
 * {@link CliFailure}s carrying the engine's message.
 */
final class EngineClient {

  /** Exit code of a failed call (the engine refused, or could not be reached). */
  static final int FAILED = 1;
  private static final int UNAUTHORIZED = 401;
  /** The engine's own advice names an HTTP header; a user of this client gives a token with its flag. */
  private static final String WRONG_TOKEN = "unauthorized: the engine does not know this token; give its token with "
      + "--token or ISOMETRY_TOKEN (an engine on this machine keeps its own in DATA_DIR/token)";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  EngineClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  JsonObject get(String path) {
    return new JsonObject(call(request(path).GET()));
  }

  JsonObject post(String path, JsonObject body) {
    return new JsonObject(call(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))));
  }

  /** A stream's retained output and the byte offset at which it starts in the whole stream. */
  record Retained(String text, long offset) {
  }

  Retained retained(String path) {
    HttpResponse<String> response = exchange(request(path).GET());
    return new Retained(response.body(), response.headers().firstValueAsLong(Fields.OUTPUT_OFFSET_HEADER).orElse(0));
  }

  /** Opens the feed, authenticated by the handshake's {@code Authorization} header. */
  WebSocket feed(WebSocket.Listener listener) {
    return open(listener, true);
  }

  /**
   * Opens the feed for {@code session} as a socket of session {@code sessionId}: authenticated by an
   * {@code auth} message that names the session (the handshake's header cannot). Answers the auth's
   * ack, which lists the session's live foreground processes.
   */
  JsonObject joinSession(FeedSession session, String sessionId) {
    session.attach(open(session, false));
    try {
      return session.request(new JsonObject().put("type", "auth").put("token", token).put(Fields.SESSION, sessionId));
    } catch (CliFailure refused) {
      throw refused.getMessage().startsWith("unauthorized") ? new CliFailure(WRONG_TOKEN, FAILED) : refused;
    }
  }

  private WebSocket open(WebSocket.Listener listener, boolean withHeader) {
    URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "api/v1/ws");
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
    if (withHeader) {
      builder.header("Authorization", "Bearer " + token);
    }
    try {
      return builder.buildAsync(uri, listener).join();
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof WebSocketHandshakeException refused)) {
        throw new CliFailure("cannot open the feed at " + uri + ": " + e.getCause(), FAILED);
      }
      if (refused.getResponse().statusCode() == UNAUTHORIZED) {
        throw new CliFailure(WRONG_TOKEN, FAILED);
      }
      throw new CliFailure("cannot open the feed at " + uri + ": HTTP " + refused.getResponse().statusCode() + " "
          + refused.getResponse().body(), FAILED);
    }
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve("api/v1" + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token);
  }

  private String call(HttpRequest.Builder request) {
    return exchange(request).body();
  }

  private HttpResponse<String> exchange(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliFailure("cannot reach the engine at " + base + ": "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted", FAILED);
    }
    if (response.statusCode() >= 400) {
      throw new CliFailure(errorMessage(response), FAILED);
    }
    return response;
  }

  private static String errorMessage(HttpResponse<String> response) {
    if (response.statusCode() == UNAUTHORIZED) {
      return WRONG_TOKEN;
    }
    try {
      JsonObject error = new JsonObject(response.body());
      return error.getString("error") + ": " + error.getString("message");
    } catch (DecodeException | ClassCastException notJson) {
      return "HTTP " + response.statusCode();
    }
  }
}
