package io.isometry.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine speaks HTTP/1.1 in clear text and ignores an h2c upgrade: one way to parse a request,
 * and the JDK's client (which asks for h2c by default) is answered on the connection it opened.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClearTextUpgradeTest {

  @Test
  void anH2cUpgradeIsAnsweredInHttp11(Vertx vertx) throws Exception {
    int port = HttpApiTest.deployHttp(vertx, new JsonObject().put("http", new JsonObject().put("tcpBridgePort", -1))).port();

    try (RawWebSocket socket = RawWebSocket.request(port, 65536, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n")) {
      String head = socket.readHead();

      assertThat(head).startsWith("HTTP/1.1 ").doesNotStartWith("HTTP/1.1 101").doesNotContainIgnoringCase("upgrade: h2c");
    }
  }

  @Test
  void theJdkClientsDefaultRequestIsAnsweredInHttp11(Vertx vertx) throws Exception {
    int port = HttpApiTest.deployHttp(vertx, new JsonObject().put("http", new JsonObject().put("tcpBridgePort", -1))).port();
    HttpClient http = HttpClient.newHttpClient();

    for (int i = 0; i < 20; i++) {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
          .build(), HttpResponse.BodyHandlers.ofString());

      assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(answer.statusCode()).isEqualTo(200);
    }
  }
}
