package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request may add only variables whose names start with the configured prefix (exactly:
 * case-sensitive, nothing trimmed) and are portable names ({@code [A-Za-z0-9_]}); it never sets
 * what the server sets ({@link ServerEnvironment#NAMES}). On top of that, whatever the prefix:
 *
 * <ul>
 *   <li>names that change how programs load code or read configuration ({@code LD_PRELOAD},
 *       {@code GIT_*}, {@code PYTHONPATH}, ... from the rules) are refused as critical;</li>
 *   <li>names that say "secret" ({@code ISOMETRY_DB_PASSWORD}) and values that look like one (AWS
 *       keys, GitHub tokens, private keys, JWTs) are refused: a secret put in a child's environment
 *       ends up in its output, its core dumps and the process table;</li>
 *   <li>values holding a shell function definition ({@code () {}) are refused: old bash imports
 *       and runs them (Shellshock);</li>
 *   <li>values with control characters or text that is not valid Unicode are refused.</li>
 * </ul>
 *
 * <p>Values are never echoed back or logged; a name is not echoed either when it looks like a
 * secret itself. One violation per variable: the most serious.
 */
final class EnvironmentRule implements Rule {

  /** {@code () {} with any blanks between: what bash exported functions look like, and what it imports. */
  private static final Pattern FUNCTION_DEFINITION = Pattern.compile("\\(\\s*\\)\\s*\\{");

  private final String prefix;
  private final SecurityRules rules;
  private final List<String> secretKinds;
  /**
   * The secret patterns' matchers, one set per thread, in the order of {@link #secretKinds}: a fresh
   * matcher per pattern for the name and again for the value was most of what a request with a
   * variable allocated.
   */
  private final ThreadLocal<Matcher[]> secretMatchers;

  EnvironmentRule(String prefix, SecurityRules rules) {
    this.prefix = prefix;
    this.rules = rules;
    this.secretKinds = List.copyOf(rules.secretValues().keySet());
    List<Pattern> patterns = List.copyOf(rules.secretValues().values());
    this.secretMatchers = ThreadLocal.withInitial(() -> patterns.stream().map(p -> p.matcher("")).toArray(Matcher[]::new));
  }

  @Override
  public void check(ValidationInput input, List<Violation> violations) {
    for (Map.Entry<String, String> variable : input.env().entrySet()) {
      if (violations.size() >= CommandParser.MAX_VIOLATIONS) {
        return;
      }
      Violation violation = judge(variable.getKey(), variable.getValue());
      if (violation != null) {
        violations.add(violation);
      }
    }
  }

  private Violation judge(String name, String value) {
    if (ControlCharacters.firstForbidden(name) >= 0 || UnicodeText.firstRefused(name) >= 0) {
      return violation(Severity.HIGH, "An environment variable name has control characters or invalid text",
          new JsonObject());
    }
    if (secretKind(name) != null) {
      return violation(Severity.HIGH, "An environment variable name looks like a secret; it is not repeated here",
          new JsonObject());
    }
    JsonObject named = new JsonObject().put("name", name);
    if (isDangerous(name)) {
      return violation(Severity.CRITICAL, "Environment variable '" + name
          + "' is not allowed: it changes how programs load code or read their configuration", named);
    }
    if (!allowedName(name)) {
      return violation(Severity.HIGH, "Environment variable '" + name + "' is not allowed: only names starting with '"
          + prefix + "' made of letters, digits and '_' may be set", named);
    }
    if (hasSecretNamePart(name)) {
      return violation(Severity.HIGH, "Environment variable '" + name
          + "' is not allowed: its name says it holds a secret, and secrets are not passed to processes", named);
    }
    if (FUNCTION_DEFINITION.matcher(value).find()) {
      return violation(Severity.CRITICAL, "Environment variable '" + name
          + "' is not allowed: its value holds a shell function definition, which shells import and run", named);
    }
    String kind = secretKind(value);
    if (kind != null) {
      return violation(Severity.HIGH, "Environment variable '" + name + "' is not allowed: its value looks like a secret ("
          + kind + "), and secrets are not passed to processes", named.put("secret", kind));
    }
    if (ControlCharacters.firstForbidden(value) >= 0 || UnicodeText.firstRefused(value) >= 0) {
      return violation(Severity.HIGH, "Environment variable '" + name
          + "' has control characters or invalid text in its value", named);
    }
    return null;
  }

  private boolean isDangerous(String name) {
    if (rules.refusedEnvironmentNames().contains(name)) {
      return true;
    }
    for (String refused : rules.refusedEnvironmentPrefixes()) {
      if (name.startsWith(refused)) {
        return true;
      }
    }
    return false;
  }

  private boolean hasSecretNamePart(String name) {
    String folded = name.toUpperCase(Locale.ROOT).replace("_", "").replace("-", "");
    for (String part : rules.secretNameParts()) {
      if (folded.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /** The kind of secret {@code text} looks like, or null. */
  private String secretKind(String text) {
    Matcher[] matchers = secretMatchers.get();
    int used = 0;
    try {
      while (used < matchers.length) {
        if (matchers[used++].reset(text).find()) {
          return secretKinds.get(used - 1);
        }
      }
      return null;
    } finally {
      // The thread's matchers must not keep a value (possibly a secret) alive after the judgement.
      for (int i = 0; i < used; i++) {
        matchers[i].reset("");
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

  private static Violation violation(Severity severity, String message, JsonObject detail) {
    return new Violation(ViolationType.ENVIRONMENT_VIOLATION, severity, message, detail);
  }
}
