package io.isometry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isometry.contract.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A connection that says nothing is closed after {@code http.idleTimeoutMs}; a quiet feed socket is not. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdleConnectionsTest {

  private static final long IDLE_TIMEOUT_MS = 500;

  private Vertx vertx;
  private int port;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    port = HttpApiTest.deployHttp(vertx, new JsonObject().put("http", new JsonObject()
        .put("idleTimeoutMs", IDLE_TIMEOUT_MS).put("tcpBridgePort", -1))).port();
  }

  @Test
  void aHalfSentRequestDoesNotHoldItsConnection() throws Exception {
    // The head never ends: no blank line.
    try (RawWebSocket socket = RawWebSocket.request(port, 65536, "GET /health HTTP/1.1\r\nHost: 127.0.0.1")) {
      long started = System.nanoTime();

      assertThatThrownBy(socket::readHead).isInstanceOf(IOException.class).hasMessageContaining("ended");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
    }
  }

  @Test
  void aQuietFeedSocketStaysOpenThroughManyTimeouts() throws Exception {
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);

    Thread.sleep(IDLE_TIMEOUT_MS * 4);

    JsonObject marker = new JsonObject().put("type", "stats").put("marker", UUID.randomUUID().toString());
    vertx.eventBus().publish(Addresses.EVENT_STATS, marker);
    assertThat(socket.await("an event after the quiet", marker::equals)).isEqualTo(marker);
    assertThat(socket.socket().isClosed()).isFalse();
  }
}
