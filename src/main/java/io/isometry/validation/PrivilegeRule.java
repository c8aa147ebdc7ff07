package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Nothing runs with more privileges than the engine's, and nothing hands privileges out, whatever
 * the allowlist says: programs made to switch identity or capabilities (sudo, su, doas, pkexec,
 * chroot, nsenter, ... from the rules), named as the command or as a command an argument runs;
 * an executable with the setuid or setgid bit (checked again on every request, so a chmod after
 * start is seen); modes that set those bits (chmod, mkdir -m, install -m); ownership handed to a
 * privileged account; and setting the system clock (date).
 */
final class PrivilegeRule implements Rule {

  private final Set<String> privilegedPrograms;

  PrivilegeRule(Set<String> privilegedPrograms) {
    this.privilegedPrograms = privilegedPrograms;
  }

  @Override
  public void check(ValidationInput input, List<Violation> violations) {
    if (input.argv().isEmpty()) {
      return;
    }
    String program = ProgramNames.baseName(input.argv().get(0));
    if (privilegedPrograms.contains(program)) {
      violations.add(privileged(program, 0, "runs programs as another user or with other privileges"));
    }
    input.executable().ifPresent(executable -> {
      if (SetIdBits.isSetId(executable)) {
        violations.add(new Violation(ViolationType.PRIVILEGE_ESCALATION, Severity.CRITICAL,
            "Executable '" + executable + "' is setuid or setgid (or cannot be examined): it would run with its owner's privileges",
            new JsonObject().put("command", input.argv().get(0)).put("executable", executable)));
      }
    });
    for (Argument argument : input.commandLine().arguments()) {
      if (violations.size() >= CommandParser.MAX_VIOLATIONS) {
        return;
      }
      check(argument, violations);
    }
  }

  private void check(Argument argument, List<Violation> violations) {
    String text = argument.text();
    switch (argument.role()) {
      case COMMAND -> {
        if (privilegedPrograms.contains(ProgramNames.baseName(text))) {
          violations.add(privileged(text, argument.index(), "runs programs as another user or with other privileges"));
        }
      }
      case MODE -> {
        FileModes.Verdict verdict = FileModes.judgeMode(text);
        if (verdict == FileModes.Verdict.SETS_ID) {
          violations.add(privileged(text, argument.index(), "sets the setuid or setgid bit"));
        } else if (verdict == FileModes.Verdict.UNREADABLE) {
          violations.add(new Violation(ViolationType.ARGUMENT_INJECTION, Severity.MEDIUM,
              "Argument " + argument.index() + " ('" + text + "') is no file mode the policy can read",
              detail(text, argument.index())));
        }
      }
      case OWNER -> {
        if (FileModes.privilegedOwner(text)) {
          violations.add(privileged(text, argument.index(), "hands files to a privileged account or group"));
        }
      }
      case DATE -> {
        if (!text.startsWith("+")) {
          violations.add(privileged(text, argument.index(), "sets the system clock (only +FORMAT prints)"));
        }
      }
      default -> {
        // not a question of privileges
      }
    }
  }

  private static Violation privileged(String token, int index, String why) {
    String what = index == 0 ? "Program '" + token + "'" : "Argument " + index + " ('" + token + "')";
    return new Violation(ViolationType.PRIVILEGE_ESCALATION, Severity.CRITICAL, what + " is refused: it " + why,
        detail(token, index));
  }

  private static JsonObject detail(String token, int index) {
    return new JsonObject().put("argument", index).put("token", token);
  }
}
