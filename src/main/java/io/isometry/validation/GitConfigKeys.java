package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Judges a git configuration key a request sets — with {@code git -c}, {@code --config-env},
 * {@code clone -c} or {@code git config} — against an allowlist (identity, line endings, a few
 * display options: {@code gitConfigAllowed} in the rules), and then, as a second check that holds
 * even if an operator's file allows too much, against the keys that make git run a program or
 * fetch from elsewhere ({@code gitConfigKeys}). Keys are compared in lower case, as git compares
 * section and variable names. Immutable.
 */
final class GitConfigKeys {

  private static final Refusal NOT_ALLOWED = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
      "a request may set only the git configuration keys the allowlist names (identity, line endings, display)");
  private static final Refusal RUNS_PROGRAMS = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "this configuration key makes git run a program or rewrite where it fetches from");

  private final List<Pattern> allowed;
  private final List<Pattern> runsPrograms;

  GitConfigKeys(List<Pattern> allowed, List<Pattern> runsPrograms) {
    this.allowed = List.copyOf(allowed);
    this.runsPrograms = List.copyOf(runsPrograms);
  }

  /** A key set by {@code git config}. */
  void key(String key, ScriptSink sink) {
    String folded = key.toLowerCase(Locale.ROOT);
    if (matches(runsPrograms, folded)) {
      sink.refuse(RUNS_PROGRAMS, key);
    } else if (!matches(allowed, folded)) {
      sink.refuse(NOT_ALLOWED, key);
    }
  }

  /** {@code key=value}, or {@code key} alone (git sets it to true). */
  void assignment(String text, ScriptSink sink) {
    int equals = text.indexOf('=');
    key(equals < 0 ? text : text.substring(0, equals), sink);
  }

  private static boolean matches(List<Pattern> patterns, String key) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(key).matches()) {
        return true;
      }
    }
    return false;
  }
}
