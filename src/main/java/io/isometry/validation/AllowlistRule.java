package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** argv[0] must be an allowed command: by bare name, or exactly an allowed absolute path. */
final class AllowlistRule implements Rule {

  @Override
  public void check(ValidationInput input, List<Violation> violations) {
    if (input.argv().isEmpty() || input.executable().isPresent()) {
      return;
    }
    String command = input.argv().get(0);
    String message = command.indexOf('/') >= 0
        ? "Command '" + command + "' is not allowed: name an allowed command without a path"
        : "Command '" + command + "' is not allowed";
    violations.add(new Violation(ViolationType.COMMAND_NOT_ALLOWED, Severity.HIGH, message,
        new JsonObject().put("command", command)));
  }
}
