package io.isometry.validation;

import io.isometry.config.EngineConfig;
import java.util.List;

/** The rules every request is judged by, in the order their violations are reported. */
public final class StandardRules {

  private StandardRules() {
  }

  public static List<Rule> of(EngineConfig.Security security) {
    return List.of(
        new AllowlistRule(),
        new WorkingDirectoryRule(),
        new EnvironmentRule(security.envPrefix()));
  }
}
