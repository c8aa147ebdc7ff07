package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Arguments that make an allowed program run other programs or code: what the reader found
 * refused (programs, options, subcommands, primaries the rules refuse or do not know), commands
 * given as operands, and the languages inside arguments (awk programs and assignments, sed
 * scripts, git URLs and configuration keys) — also when the program reads them from a file of the
 * workspace (awk -f, sed -f, the names of md5sum -c, the members of an archive tar extracts), which
 * is then read and judged as if its contents were on the command line.
 */
final class ArgumentRule implements Rule {

  private static final Refusal RUNS_PROGRAM = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "it makes the program run another program, which the allowlist never sees");

  private final GitConfigKeys gitConfigKeys;

  ArgumentRule(GitConfigKeys gitConfigKeys) {
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
      String text = argument.text();
      switch (argument.role()) {
        case COMMAND -> sink.refuse(RUNS_PROGRAM, text);
        case AWK -> AwkProgram.check(text, sink);
        case AWK_ASSIGNMENT -> AwkProgram.assignment(text, sink);
        case AWK_OPERAND -> AwkProgram.operand(text, sink);
        case SED -> SedScript.check(text, sink);
        case GIT_URL -> GitArguments.url(text, sink);
        case GIT_CONFIG -> gitConfigKeys.key(text, sink);
        case GIT_CONFIG_ASSIGNMENT -> gitConfigKeys.assignment(text, sink);
        case AWK_FILE -> contents(input, text, sink, AwkProgram::check);
        case SED_FILE -> contents(input, text, sink, SedScript::check);
        case CHECKSUMS -> contents(input, text, sink, ChecksumList::check);
        case EXTRACTED_ARCHIVE -> {
          if (text.equals("-")) {
            sink.refuse(FileContents.UNREADABLE, text);
          } else if (!PathRule.isRemote(text) && input.paths().judge(text) == PathJudge.Verdict.INSIDE) {
            TarMembers.check(input.paths().locate(text), sink);
          }
        }
        default -> {
          // files are the path and write rules', modes and owners the privilege rule's
        }
      }
    }
  }

  /**
   * Reads a file the program takes code or names from and judges its contents; a file outside is
   * the path rule's to refuse, and is never read.
   */
  private static void contents(ValidationInput input, String path, ScriptSink sink, BiConsumer<String, ScriptSink> judge) {
    if (path.equals("-")) {
      sink.refuse(FileContents.UNREADABLE, path); // standard input: nothing to read before the program runs
      return;
    }
    if (input.paths().judge(path) != PathJudge.Verdict.INSIDE) {
      return;
    }
    String contents = FileContents.read(input.paths().locate(path));
    if (contents == null) {
      sink.refuse(FileContents.UNREADABLE, path);
    } else {
      judge.accept(contents, sink);
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
      String message = "Argument " + argument.index() + " is refused: " + refusal.reason() + " ('" + token + "')";
      JsonObject detail = new JsonObject().put("argument", argument.index()).put("token", token);
      String variable = variableNamed(argument.text(), input.env());
      if (variable != null) {
        // An allowed variable turned into configuration (--config-env): the pair is the injection.
        message += " (it reads the request's variable " + variable + ")";
        detail.put("variable", variable);
      }
      violations.add(new Violation(refusal.type(), refusal.severity(), message, detail));
    }

    @Override
    public void file(String path) {
      PathRule.judge(input.paths(), argument.index(), path, violations);
    }

    @Override
    public void written(String path) {
      PathRule.judge(input.paths(), argument.index(), path, violations);
      WriteRule.judge(input.paths(), argument.index(), path, violations);
    }
  }
}
