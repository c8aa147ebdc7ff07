package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Arguments that make an allowed program run other programs or code: what the reader found
 * refused (programs, options, subcommands, primaries the rules refuse or do not know), commands
 * given as operands, and the languages inside arguments (awk programs, sed scripts, git URLs and
 * configuration keys).
 */
final class ArgumentRule implements Rule {

  private static final Refusal RUNS_PROGRAM = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "it makes the program run another program, which the allowlist never sees");

  private final List<Pattern> gitConfigKeys;

  ArgumentRule(List<Pattern> gitConfigKeys) {
    this.gitConfigKeys = gitConfigKeys;
  }

  @Override
  public void check(ValidationInput input, List<Violation> violations) {
    CommandLine line = input.commandLine();
    for (Finding finding : line.findings()) {
      violations.add(violation(finding, input.env()));
    }
    for (Argument argument : line.arguments()) {
      if (violations.size() >= CommandParser.MAX_VIOLATIONS) {
        return;
      }
      if (argument.refused()) {
        continue;
      }
      ScriptSink sink = new Sink(input, argument, violations);
      switch (argument.role()) {
        case COMMAND -> sink.refuse(RUNS_PROGRAM, argument.text());
        case AWK -> AwkProgram.check(argument.text(), sink);
        case SED -> SedScript.check(argument.text(), sink);
        case GIT_URL -> GitArguments.url(argument.text(), sink);
        case GIT_CONFIG -> GitArguments.config(argument.text(), gitConfigKeys, sink);
        default -> {
          // files are the path rule's, modes and owners the privilege rule's
        }
      }
    }
  }

  private static Violation violation(Finding finding, Map<String, String> env) {
    Refusal refusal = finding.refusal();
    JsonObject detail = new JsonObject().put("program", finding.program()).put("argument", finding.index());
    String message;
    if (finding.option() == null) {
      message = "Program '" + finding.program() + "' is refused: " + refusal.reason();
    } else {
      detail.put("option", finding.option());
      message = "'" + finding.option() + "' of " + finding.program() + " is refused: " + refusal.reason();
    }
    String variable = variableNamed(finding.value(), env);
    if (variable != null) {
      // An allowed variable turned into configuration by an option: the pair is the injection.
      message += " (it reads the request's variable " + variable + ")";
      detail.put("variable", variable);
    }
    return new Violation(refusal.type(), refusal.severity(), message, detail);
  }

  /** The requested variable an option value names ({@code key=NAME} or {@code NAME}), or null. */
  private static String variableNamed(String value, Map<String, String> env) {
    if (value == null) {
      return null;
    }
    for (String name : env.keySet()) {
      if (value.equals(name) || value.endsWith("=" + name)) {
        return name;
      }
    }
    return null;
  }

  /** Turns what a script checker finds into violations of this request. */
  private record Sink(ValidationInput input, Argument argument, List<Violation> violations) implements ScriptSink {

    @Override
    public void refuse(Refusal refusal, String token) {
      violations.add(new Violation(refusal.type(), refusal.severity(),
          "Argument " + argument.index() + " is refused: " + refusal.reason() + " ('" + token + "')",
          new JsonObject().put("argument", argument.index()).put("token", token)));
    }

    @Override
    public void file(String path) {
      PathRule.judge(input.paths(), argument.index(), path, violations);
    }
  }
}
