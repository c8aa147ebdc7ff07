package io.isometry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The per-owner shares: the default follows maxConcurrent, and no owner may be given more than all slots. */
class SupervisorSharesConfigTest {

  private static EngineConfig.SupervisorSettings supervisor(JsonObject settings) {
    return EngineConfig.from(ConfigLoader.withOverrides(new JsonObject().put("supervisor", settings))).supervisor();
  }

  @Test
  void oneOwnerGetsAllSlotsButOneByDefault() {
    assertThat(supervisor(new JsonObject()).maxRunningPerOwner()).isEqualTo(2);
    assertThat(supervisor(new JsonObject()).queuePerOwner()).isEqualTo(16);
    assertThat(supervisor(new JsonObject().put("maxConcurrent", 8)).maxRunningPerOwner()).isEqualTo(7);
    assertThat(supervisor(new JsonObject().put("maxConcurrent", 1)).maxRunningPerOwner()).isEqualTo(1);
  }

  @Test
  void aShareOverAllSlotsIsRefusedNamingTheKey() {
    assertThat(supervisor(new JsonObject().put("maxRunningPerOwner", 3)).maxRunningPerOwner()).isEqualTo(3);
    assertThatThrownBy(() -> supervisor(new JsonObject().put("maxRunningPerOwner", 4)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("supervisor.maxRunningPerOwner");
  }
}
