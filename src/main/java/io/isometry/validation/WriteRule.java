package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a command writes — every word of role {@link ArgumentRole#OUTPUT} (touch, mkdir, the destination of
 * cp, mv and its sources, sed -i's files, sort -o, git diff --output, the files of programs without
 * rules, ...), tar archives, and the files awk and sed scripts write ({@link ScriptSink#written}) —
 * is refused
 *
 * <ul>
 *   <li>under a {@code .git} directory, whichever program writes: hooks and configuration planted
 *       there run with the next git command. Git's own writes (commit, fetch, ...) name no such
 *       file; what a client points git at ({@code --output}, a clone's directory) counts;</li>
 *   <li>through a final symbolic link that points nowhere (the write would create its target);</li>
 *   <li>when a name on its way starts with {@code -} ({@code touch ./-rf}, {@code mkdir -p a/-x}):
 *       such a file becomes an option of whatever later meets it in a glob. So are the sources of a
 *       copy ({@link ArgumentRole#COPIED}), whose names the copies take.</li>
 * </ul>
 *
 * <p>That the file is inside the workspace is the {@link PathRule}'s to judge; this rule looks only
 * at writes it found inside.
 */
final class WriteRule implements Rule {

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
        case OUTPUT -> judge(input.paths(), argument.index(), text, violations);
        case ARCHIVE, EXTRACTED_ARCHIVE -> {
          if (!text.equals("-") && !PathRule.isRemote(text)) {
            judge(input.paths(), argument.index(), text, violations);
          }
        }
        case COPIED -> {
          String name = lastName(text);
          if (name.startsWith("-")) {
            violations.add(dashed(argument.index(), text));
          }
        }
        case SUFFIX -> {
          if (text.indexOf('/') >= 0) {
            judge(input.paths(), argument.index(), text, violations);
          }
        }
        default -> {
          // not written
        }
      }
    }
  }

  /** Judges one file written, found by the argument at {@code index}. */
  static void judge(PathJudge paths, int index, String path, List<Violation> violations) {
    if (path.isEmpty()) {
      return;
    }
    for (String part : path.split("/")) {
      if (part.startsWith("-")) {
        violations.add(dashed(index, path));
        break;
      }
    }
    if (paths.judge(path) != PathJudge.Verdict.INSIDE) {
      return;
    }
    JsonObject detail = new JsonObject().put("argument", index).put("path", path);
    switch (paths.write(path)) {
      case PLAIN -> {
        // an ordinary file of the workspace
      }
      case GIT_DIRECTORY -> violations.add(new Violation(ViolationType.UNAUTHORIZED_FILE_ACCESS, Severity.CRITICAL,
          "Argument " + index + " ('" + path + "') writes under a .git directory, whose hooks and configuration "
              + "the next git command runs; only git itself writes there", detail.put("gitDirectory", true)));
      case DANGLING_LINK -> violations.add(new Violation(ViolationType.UNAUTHORIZED_FILE_ACCESS, Severity.HIGH,
          "Argument " + index + " ('" + path + "') writes through a symbolic link that points nowhere yet, "
              + "so the file it creates cannot be judged", detail));
    }
  }

  private static Violation dashed(int index, String path) {
    return new Violation(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
        "Argument " + index + " ('" + path + "') creates a name starting with '-', which becomes an option of "
            + "any program that later meets it in a glob",
        new JsonObject().put("argument", index).put("path", path));
  }

  /** The last component of a path, trailing slashes and dots aside. */
  private static String lastName(String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      if (!parts[i].isEmpty() && !parts[i].equals(".")) {
        return parts[i];
      }
    }
    return "";
  }
}
