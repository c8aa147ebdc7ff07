package io.isometry.validation;

import io.isometry.config.EngineConfig;
import java.util.List;

/** The rules every request is judged by, in the order their violations are reported. */
public final class StandardRules {

  private StandardRules() {
  }

  static List<Rule> of(EngineConfig.Security security, SecurityRules rules, ExecutableResolver resolver) {
    return List.of(
        new AllowlistRule(resolver.unusable()),
        new PrivilegeRule(rules.privilegedPrograms()),
        new ArgumentRule(new GitConfigKeys(rules.gitConfigAllowed(), rules.gitConfigKeys())),
        new WorkingDirectoryRule(),
        new PathRule(),
        new WriteRule(),
        new EnvironmentRule(security.envPrefix(), rules));
  }
}
