package io.isometry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code security.searchPath}: the engine's own, absolute directories only, refused at load otherwise. */
class SearchPathConfigTest {

  @Test
  void defaultsToTheSystemDirectories() {
    assertThat(EngineConfig.defaults().security().searchPath())
        .isEqualTo("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }

  @Test
  void isSetFromAFileOrTheEnvironmentLikeEveryKey() {
    assertThat(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("security", new JsonObject().put("searchPath", "/opt/tools/bin:/usr/bin")))).security().searchPath())
        .isEqualTo("/opt/tools/bin:/usr/bin");
    assertThat(EngineConfig.from(ConfigLoader.load(null, Map.of("ISOMETRY_SECURITY_SEARCHPATH", "/srv/bin:/bin")))
        .security().searchPath()).isEqualTo("/srv/bin:/bin");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bin:/usr/bin", "/usr/bin:.", "/usr/bin::/bin", ":/usr/bin", "/usr/bin:", "./bin", "~/bin"})
  void refusesAnEmptyOrRelativeEntry(String searchPath) {
    JsonObject config = ConfigLoader.load(null, Map.of("ISOMETRY_SECURITY_SEARCHPATH", searchPath));

    assertThatThrownBy(() -> EngineConfig.from(config)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: security.searchPath: entry ")
        .hasMessageContaining("every entry must be an absolute directory");
  }

  @Test
  void namesTheEntryThatIsWrong() {
    assertThatThrownBy(() -> EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("security", new JsonObject().put("searchPath", "/usr/bin:bin")))))
        .hasMessage("invalid configuration: security.searchPath: entry 2 of '/usr/bin:bin' is relative ('bin'): every "
            + "entry must be an absolute directory (an empty or relative one means the current directory)");
    assertThatThrownBy(() -> EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("security", new JsonObject().put("searchPath", "/usr/bin::/bin")))))
        .hasMessageContaining("entry 2 of '/usr/bin::/bin' is empty");
  }

  @Test
  void refusesNothingAtAllAndWhatIsNotText() {
    assertThatThrownBy(() -> EngineConfig.from(ConfigLoader.load(null, Map.of("ISOMETRY_SECURITY_SEARCHPATH", ""))))
        .hasMessageStartingWith("invalid configuration: security.searchPath: must be a non-empty string");
    assertThatThrownBy(() -> EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("security", new JsonObject().put("searchPath", 42)))))
        .hasMessageStartingWith("invalid configuration: security.searchPath: must be a non-empty string");
  }
}
