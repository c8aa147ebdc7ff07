package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The working directory must be an existing directory inside the workspace. Whether a directory
 * outside exists is never told: that would let a client map the server's file system.
 */
final class WorkingDirectoryRule implements Rule {

  @Override
  public void check(ValidationInput input, List<Violation> violations) {
    WorkingDirectory cwd = input.cwd();
    String quoted = "'" + cwd.requested() + "'";
    switch (cwd.placement()) {
      case INSIDE -> {
        // nothing to object to
      }
      case OUTSIDE_BY_DOTS -> violations.add(violation(ViolationType.PATH_TRAVERSAL, Severity.HIGH,
          "Working directory " + quoted + " leads out of the workspace", cwd));
      case OUTSIDE_BY_ABSOLUTE_PATH -> violations.add(violation(ViolationType.UNAUTHORIZED_FILE_ACCESS, Severity.HIGH,
          "Working directory " + quoted + " is outside the workspace", cwd));
      case OUTSIDE_BY_LINK -> violations.add(violation(ViolationType.UNAUTHORIZED_FILE_ACCESS, Severity.HIGH,
          "Working directory " + quoted + " is a link that leads out of the workspace", cwd));
      case NOT_A_DIRECTORY -> violations.add(violation(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
          "Working directory " + quoted + " is not an existing directory in the workspace", cwd));
      case UNRESOLVABLE -> violations.add(violation(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
          "Working directory " + quoted + " cannot be resolved", cwd));
      case MALFORMED -> violations.add(violation(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
          "Working directory has control characters or is not a valid path", cwd));
    }
  }

  private static Violation violation(ViolationType type, Severity severity, String message, WorkingDirectory cwd) {
    return new Violation(type, severity, message, new JsonObject().put("cwd", cwd.requested()));
  }
}
