package io.isometry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isometry.auth.TokenFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine's own secrets: a --conf file with tokens is its owner's alone, and so is the token it makes. */
class TokenConfigFileTest {

  private static final JsonObject WITH_TOKENS = new JsonObject().put("auth", new JsonObject().put("tokens",
      new JsonArray().add(new JsonObject().put("token", "0123456789abcdef0123456789abcdef")
          .put("principal", "alice").put("role", "operator"))));

  @TempDir
  Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw-rw----", "rw-----w-", "rwxrwxrwx"})
  void aFileWithTokensOpenToOthersStopsTheStartNamingTheFileAndTheFix(String permissions) throws IOException {
    Path file = write(WITH_TOKENS, permissions);

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("chmod 600 " + file)
        .hasMessageContaining(permissions);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-------", "r--------"})
  void aPrivateFileWithTokensLoads(String permissions) throws IOException {
    Path file = write(WITH_TOKENS, permissions);

    assertThat(EngineConfig.from(ConfigLoader.load(file, Map.of())).auth().tokens()).hasSize(1);
  }

  @Test
  void aFileWithoutTokensMayBeReadByOthers() throws IOException {
    Path file = write(new JsonObject().put("auth", new JsonObject().put("tokens", new JsonArray()))
        .put("http", new JsonObject().put("port", 0)), "rw-r--r--");

    assertThat(ConfigLoader.load(file, Map.of()).getJsonObject("http").getInteger("port")).isZero();
  }

  @Test
  void theGeneratedTokenFileIsItsOwnersAloneAndStaysSo() throws IOException {
    Path dataDir = temp.resolve("data");
    String token = TokenFile.readOrCreate(dataDir);
    Path file = dataDir.resolve(TokenFile.NAME);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(TokenFile.readOrCreate(dataDir)).isEqualTo(token);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var listing = Files.list(dataDir)) {
      assertThat(listing).as("no temporary file is left behind").containsExactly(file);
    }
  }

  private Path write(JsonObject content, String permissions) throws IOException {
    Path file = Files.writeString(temp.resolve("isometry.json"), content.encode());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }
}
