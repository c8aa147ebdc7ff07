package io.isometry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.contract.ProcessState;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The REST API of an engine running in another process ({@link EngineProcess}), as one principal. */
public final class EngineRest {

  /** The wire names of the contract's terminal states: a record in one of them has ended. */
  public static final Set<String> TERMINAL_STATES = Arrays.stream(ProcessState.values())
      .filter(ProcessState::isTerminal).map(ProcessState::wire).collect(Collectors.toUnmodifiableSet());

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final int port;
  private final String token;

  public EngineRest(int port, String token) {
    this.port = port;
    this.token = token;
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token);
  }

  public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Submits {@code command}; answers the response, whatever its status. */
  public HttpResponse<String> post(String command) throws Exception {
    return send(request("/api/v1/processes")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("command", command).encode())));
  }

  /** Submits {@code command}, which must be accepted; answers its record. */
  public JsonObject submit(String command) throws Exception {
    HttpResponse<String> response = post(command);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body());
  }

  /** The body of a GET that must answer 200. */
  public String text(String path) throws Exception {
    HttpResponse<String> response = send(request(path).GET());
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    return response.body();
  }

  public JsonObject get(String path) throws Exception {
    return new JsonObject(text(path));
  }

  /** Polls the record of {@code id} for up to ten seconds until it is in one of {@code states}. */
  public JsonObject awaitState(String id, Set<String> states) throws Exception {
    JsonObject record = null;
    for (int i = 0; i < 400; i++) {
      record = get("/api/v1/processes/" + id);
      if (states.contains(record.getString("state"))) {
        return record;
      }
      Thread.sleep(25);
    }
    throw new AssertionError(id + " never reached " + states + "; last seen " + record);
  }
}
