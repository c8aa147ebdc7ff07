package io.isometry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A host's overrides and an operator's {@code ISOMETRY_*} variables: the variables are laid over the host's. */
class EnvironmentOverridesTest {

  @Test
  void withOverridesHonoursEveryIsometryVariableOverTheHostsOwnKeys() {
    JsonObject config = ConfigLoader.withOverrides(
        new JsonObject().put("http", new JsonObject().put("port", 9000)).put("workspace", "/srv/host"),
        Map.of("ISOMETRY_HTTP_PORT", "0", "ISOMETRY_HTTP_ENABLED", "false",
            "ISOMETRY_SUPERVISOR_MAXCONCURRENT", "8", "ISOMETRY_SECURITY_ALLOWEDCOMMANDS", "ls,cat",
            "PATH", "/usr/bin"));
    EngineConfig engine = EngineConfig.from(config);
    assertThat(engine.http().port()).isZero();
    assertThat(engine.http().enabled()).isFalse();
    assertThat(engine.supervisor().maxConcurrent()).isEqualTo(8);
    assertThat(engine.security().allowedCommands()).containsExactly("ls", "cat");
    assertThat(engine.workspace()).hasToString("/srv/host");
  }

  @Test
  void aVariableThatIsNotAValueOfItsKeysKindStopsTheStartNamingIt() {
    assertThatThrownBy(() -> ConfigLoader.withOverrides(new JsonObject(), Map.of("ISOMETRY_HTTP_ENABLED", "no")))
        .hasMessage("invalid configuration: http.enabled (from ISOMETRY_HTTP_ENABLED): must be true or false, got 'no'");
  }
}
