package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * argv[0] must be an allowed command: by bare name, or exactly an allowed absolute path; and one
 * the user children run as can execute ({@link ExecutableResolver#unusable()}).
 */
final class AllowlistRule implements Rule {

  private final Map<String, String> unusable;

  /** @param unusable allowed commands children cannot execute, with the reason */
  AllowlistRule(Map<String, String> unusable) {
    this.unusable = unusable;
  }

  @Override
  public void check(ValidationInput input, List<Violation> violations) {
    if (input.argv().isEmpty() || input.executable().isPresent()) {
      return;
    }
    String command = input.argv().get(0);
    String reason = unusable.get(command);
    if (reason != null) {
      violations.add(new Violation(ViolationType.COMMAND_NOT_ALLOWED, Severity.HIGH,
          "Command '" + command + "' cannot run here: " + reason, new JsonObject().put("command", command)));
      return;
    }
    String message = command.indexOf('/') >= 0
        ? "Command '" + command + "' is not allowed: name an allowed command without a path"
        : "Command '" + command + "' is not allowed";
    violations.add(new Violation(ViolationType.COMMAND_NOT_ALLOWED, Severity.HIGH, message,
        new JsonObject().put("command", command)));
  }
}
