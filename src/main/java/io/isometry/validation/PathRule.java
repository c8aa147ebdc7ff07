package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Every word that names a file — operands, option values, {@code @file} response files, tar
 * archives, backup suffixes with a slash — must land inside the workspace ({@link PathJudge}).
 * Words the program takes as data (a grep pattern, a git revision, an echo operand) are not
 * judged: the rules say which they are.
 */
final class PathRule implements Rule {

  private static final Refusal RESPONSE_FILE = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
      "a program the rules do not describe may read more arguments from an @file, which the policy never sees");
  private static final Refusal REMOTE_ARCHIVE = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "a host:file archive makes tar run a remote shell");

  @Override
  public void check(ValidationInput input, List<Violation> violations) {
    for (Argument argument : input.commandLine().arguments()) {
      if (violations.size() >= CommandParser.MAX_VIOLATIONS) {
        return;
      }
      if (argument.refused()) {
        continue;
      }
      String text = argument.text();
      switch (argument.role()) {
        case FILE, OUTPUT, COPIED, AWK_FILE, SED_FILE, CHECKSUMS -> {
          judge(input.paths(), argument.index(), text, violations);
          if (text.length() > 1 && text.charAt(0) == '@') {
            if (input.commandLine().program() == null) {
              violations.add(refused(RESPONSE_FILE, argument.index(), text));
            }
            judge(input.paths(), argument.index(), text.substring(1), violations);
          }
        }
        case ARCHIVE, EXTRACTED_ARCHIVE -> {
          if (isRemote(text)) {
            violations.add(refused(REMOTE_ARCHIVE, argument.index(), text));
          } else {
            judge(input.paths(), argument.index(), text, violations);
          }
        }
        case SUFFIX -> {
          if (text.indexOf('/') >= 0 || text.indexOf('\\') >= 0) {
            judge(input.paths(), argument.index(), text, violations);
          }
        }
        default -> {
          // not a file: other rules judge it
        }
      }
    }
  }

  private static Violation refused(Refusal refusal, int index, String text) {
    return new Violation(refusal.type(), refusal.severity(),
        "Argument " + index + " ('" + text + "') is refused: " + refusal.reason(),
        new JsonObject().put("argument", index).put("token", text));
  }

  /** tar takes {@code host:file} (a colon before any slash) as a remote archive. */
  static boolean isRemote(String archive) {
    int colon = archive.indexOf(':');
    int slash = archive.indexOf('/');
    return colon >= 0 && (slash < 0 || colon < slash);
  }

  static void judge(PathJudge paths, int index, String path, List<Violation> violations) {
    PathJudge.Verdict verdict = paths.judge(path);
    if (verdict != PathJudge.Verdict.INSIDE) {
      violations.add(violation(verdict, index, path));
    }
  }

  static Violation violation(PathJudge.Verdict verdict, int index, String path) {
    String quoted = "Argument " + index + " ('" + path + "')";
    JsonObject detail = new JsonObject().put("argument", index).put("path", path);
    return switch (verdict) {
      case DOTS -> new Violation(ViolationType.PATH_TRAVERSAL, Severity.HIGH,
          quoted + " leads out of the workspace", detail);
      case DISGUISED -> new Violation(ViolationType.PATH_TRAVERSAL, Severity.HIGH,
          quoted + " spells a path with encoded or look-alike characters", detail);
      case ABSOLUTE -> new Violation(ViolationType.UNAUTHORIZED_FILE_ACCESS, Severity.HIGH,
          quoted + " is outside the workspace", detail);
      case SYSTEM -> new Violation(ViolationType.UNAUTHORIZED_FILE_ACCESS, Severity.HIGH,
          quoted + " is in a system directory", detail.put("systemDirectory", true));
      case HOME -> new Violation(ViolationType.UNAUTHORIZED_FILE_ACCESS, Severity.HIGH,
          quoted + " names a home directory", detail);
      case LINK -> new Violation(ViolationType.UNAUTHORIZED_FILE_ACCESS, Severity.HIGH,
          quoted + " leads out of the workspace through a symbolic link", detail);
      case INSIDE -> throw new IllegalArgumentException("a path inside is no violation");
    };
  }
}
