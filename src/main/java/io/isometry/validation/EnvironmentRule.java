package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A request may add only variables whose names start with the configured prefix (exactly:
 * case-sensitive, nothing trimmed) and are portable names ({@code [A-Za-z0-9_]}); it never sets
 * what the server sets ({@link ServerEnvironment#NAMES}). Values are never echoed back.
 */
final class EnvironmentRule implements Rule {

  private final String prefix;

  EnvironmentRule(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void check(ValidationInput input, List<Violation> violations) {
    for (Map.Entry<String, String> variable : input.env().entrySet()) {
      String name = variable.getKey();
      if (!allowedName(name)) {
        violations.add(violation("Environment variable '" + name + "' is not allowed: only names starting with '"
            + prefix + "' made of letters, digits and '_' may be set", name));
      } else if (ControlCharacters.firstForbidden(variable.getValue()) >= 0) {
        violations.add(violation("Environment variable '" + name + "' has control characters in its value", name));
      }
    }
  }

  private boolean allowedName(String name) {
    if (!name.startsWith(prefix) || name.length() == prefix.length() || ServerEnvironment.NAMES.contains(name)) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean portable = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!portable) {
        return false;
      }
    }
    return true;
  }

  private static Violation violation(String message, String name) {
    return new Violation(ViolationType.ENVIRONMENT_VIOLATION, Severity.HIGH, message, new JsonObject().put("name", name));
  }
}
