package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;

/**
 * Judges the text of an awk program (POSIX awk, gawk, mawk) by tokenising it — strings, regular
 * expressions and comments are skipped as the language defines them, so {@code /system/} or
 * {@code "a|b"} is data — and refusing what reaches outside awk:
 *
 * <ul>
 *   <li>{@code system} and any pipe ({@code | "cmd"}, {@code "cmd" | getline}, gawk's {@code |&}):
 *       they run a shell;</li>
 *   <li>{@code @} directives ({@code @load} loads native code, {@code @include} reads a file);</li>
 *   <li>{@code print > target}, {@code printf >> target} and {@code getline < target}: a string
 *       literal target is judged as a file ({@code /dev/stdout} and {@code /dev/stderr} are awk's
 *       own), any other target is refused because the policy cannot know the file.</li>
 * </ul>
 */
final class AwkProgram {

  private static final Refusal RUNS_COMMANDS = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "awk runs shell commands through system() and pipes");
  private static final Refusal DIRECTIVE = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "@load and @include bring in code from outside the program");
  private static final Refusal UNKNOWN_TARGET = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
      "the file of an awk redirection must be a string literal the policy can judge");

  private final String text;
  private final ScriptSink sink;
  private int pos;
  /** The previous token ends an operand, so a following {@code /} divides rather than opens a regex. */
  private boolean afterOperand;
  private int depth;
  /** Depth of the enclosing print statement, or -1. */
  private int printDepth = -1;
  /** Depth at which a getline was seen, or -1: a {@code <} there is its input file. */
  private int getlineDepth = -1;

  private AwkProgram(String text, ScriptSink sink) {
    this.text = text;
    this.sink = sink;
  }

  static void check(String program, ScriptSink sink) {
    new AwkProgram(program, sink).run();
  }

  private void run() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
        pos += 2;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '\n' || c == ';' || c == '{' || c == '}') {
        endStatement();
        pos++;
      } else if (c == '#') {
        skipComment();
      } else if (c == '"') {
        string();
        afterOperand = true;
      } else if (c == '/' && !afterOperand) {
        regex();
        afterOperand = true;
      } else if (Character.isLetter(c) || c == '_') {
        word();
      } else if (Character.isDigit(c) || c == '.') {
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
          pos++;
        }
        afterOperand = true;
      } else {
        operator(c);
      }
    }
  }

  private void word() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    String name = text.substring(start, pos);
    switch (name) {
      case "system" -> sink.refuse(RUNS_COMMANDS, name);
      case "print", "printf" -> printDepth = depth;
      case "getline" -> getlineDepth = depth;
      default -> {
        // an identifier or another keyword: nothing to judge
      }
    }
    afterOperand = !name.equals("print") && !name.equals("printf") && !name.equals("return")
        && !name.equals("in") && !name.equals("case");
  }

  private void operator(char c) {
    char next = pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
    pos++;
    afterOperand = false;
    switch (c) {
      case '(', '[' -> depth++;
      case ')', ']' -> {
        depth = Math.max(0, depth - 1);
        afterOperand = true;
      }
      case '$' -> afterOperand = false;
      case '@' -> sink.refuse(DIRECTIVE, "@");
      case '|' -> {
        if (next == '|') {
          pos++;
        } else {
          sink.refuse(RUNS_COMMANDS, next == '&' ? "|&" : "|");
        }
      }
      case '>' -> {
        if (next == '=') {
          pos++;
        } else if (printDepth >= 0 && depth == printDepth) {
          if (next == '>') {
            pos++;
          }
          target(c);
        }
      }
      case '<' -> {
        if (next == '=') {
          pos++;
        } else if (getlineDepth >= 0 && depth == getlineDepth) {
          target(c);
        }
      }
      default -> {
        // arithmetic, comparison, assignment: nothing to judge
      }
    }
  }

  /** The target of a redirection: a string literal is a file to judge; anything else is refused. */
  private void target(char redirection) {
    while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == '"') {
      int start = pos;
      String file = string();
      afterOperand = true;
      int after = pos;
      while (after < text.length() && (text.charAt(after) == ' ' || text.charAt(after) == '\t')) {
        after++;
      }
      // "a" b is one string to awk: a target made of more than the literal cannot be judged.
      boolean concatenated = after < text.length() && !isTargetEnd(text.charAt(after));
      if (concatenated) {
        sink.refuse(UNKNOWN_TARGET, text.substring(start, pos));
      } else if (!file.equals("/dev/stdout") && !file.equals("/dev/stderr") && !file.equals("-")) {
        sink.file(file);
      }
      return;
    }
    sink.refuse(UNKNOWN_TARGET, String.valueOf(redirection));
  }

  private static boolean isTargetEnd(char c) {
    return c == ';' || c == '\n' || c == '}' || c == ')' || c == '\r' || c == '#';
  }

  private void endStatement() {
    printDepth = -1;
    getlineDepth = -1;
    afterOperand = false;
  }

  private void skipComment() {
    while (pos < text.length() && text.charAt(pos) != '\n') {
      pos++;
    }
  }

  /** A string literal from its opening quote; answers its value with awk's escapes read. */
  private String string() {
    StringBuilder value = new StringBuilder();
    pos++;
    while (pos < text.length() && text.charAt(pos) != '"') {
      char c = text.charAt(pos);
      if (c == '\\' && pos + 1 < text.length()) {
        char escaped = text.charAt(++pos);
        value.append(switch (escaped) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case '/' -> '/';
          case '"' -> '"';
          case '\\' -> '\\';
          default -> {
            value.append('\\'); // kept as written: an escape the path judge refuses as disguised
            yield escaped;
          }
        });
      } else {
        value.append(c);
      }
      pos++;
    }
    pos++;
    return value.toString();
  }

  private void regex() {
    pos++;
    boolean inBracket = false;
    while (pos < text.length() && text.charAt(pos) != '\n') {
      char c = text.charAt(pos);
      if (c == '\\') {
        pos += 2;
        continue;
      }
      if (c == '[') {
        inBracket = true;
      } else if (c == ']') {
        inBracket = false;
      } else if (c == '/' && !inBracket) {
        break;
      }
      pos++;
    }
    pos++;
  }
}
