package io.isometry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The feed's path in every spelling the router would have matched, and only those. */
class RequestPathsTest {

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/ws", "/api/v1/ws/", "/api/v1/%77s", "/api//v1/ws", "/api/v1/./ws",
      "/api/x/../v1/ws", "/api/v1/ws/."})
  void spellingsOfTheFeedSPath(String raw) {
    assertThat(RequestPaths.canonical(raw)).contains(ApiRouter.WEB_SOCKET_PATH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/WS", "/api/v1/ws/x", "/api/v1/wss", "/api/v1", "/api/v1/ws%2Fx", "/"})
  void otherPaths(String raw) {
    assertThat(RequestPaths.canonical(raw)).isNotEqualTo(Optional.of(ApiRouter.WEB_SOCKET_PATH));
  }
}
