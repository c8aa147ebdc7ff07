package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.isometry.validation.AwkLexer.Kind;
import io.isometry.validation.AwkLexer.Token;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Judges an awk program (POSIX awk, gawk, mawk) from its tokens ({@link AwkLexer}: strings,
 * regexes and comments are data, and a program the lexer cannot read with certainty is refused),
 * refusing what reaches outside awk:
 *
 * <ul>
 *   <li>{@code system} and any pipe ({@code | "cmd"}, {@code "cmd" | getline}, gawk's {@code |&}):
 *       they run a shell;</li>
 *   <li>{@code @} directives ({@code @load} loads native code, {@code @include} reads a file) and
 *       {@code SYMTAB} (it reaches every variable by name);</li>
 *   <li>{@code print > target}, {@code printf >> target} and {@code getline < target}: a string
 *       literal target is judged as a file written or read ({@code /dev/stdout}, {@code /dev/stderr}
 *       and {@code -} are awk's own), any other target is refused because the policy cannot know
 *       the file;</li>
 *   <li>any change to {@code ARGV}, {@code ARGC}, {@code ENVIRON} or {@code FILENAME}: awk opens
 *       the files ARGV names after the program starts, files the policy never saw. Every way awk
 *       assigns counts: {@code =} and the compound assignments, {@code ++}/{@code --}, {@code delete},
 *       {@code getline var}, {@code for (var in ...)}, and being passed to a function, built-in
 *       ({@code split}, {@code sub}, {@code gsub}, {@code match}, {@code asort}, ...) or the
 *       program's own (arrays are passed by reference); also {@code -v} and command-line
 *       {@code name=value} operands.</li>
 * </ul>
 */
final class AwkProgram {

  private static final Refusal RUNS_COMMANDS = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "awk runs shell commands through system() and pipes");
  private static final Refusal DIRECTIVE = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "@load, @include and indirect calls bring in code from outside the program");
  private static final Refusal UNKNOWN_TARGET = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
      "the file of an awk redirection must be a string literal the policy can judge");
  private static final Refusal UNCLEAR = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
      "the policy cannot tell with certainty how awk reads this program");
  private static final Refusal SPECIAL_VARIABLE = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "changing ARGV, ARGC, ENVIRON or FILENAME makes awk open files the policy never saw");

  /** Variables whose change makes awk read other files (ARGV, ARGC) or lie about them. */
  static final Set<String> PROTECTED = Set.of("ARGV", "ARGC", "ENVIRON", "FILENAME", "SYMTAB");
  private static final Set<String> ASSIGNMENTS = Set.of("=", "+=", "-=", "*=", "/=", "%=", "^=", "**=");
  /** Built-ins that assign to an argument; the program's own functions may too (arrays go by reference). */
  private static final Set<String> WRITERS = Set.of("split", "sub", "gsub", "match", "patsplit", "asort", "asorti");
  private static final Set<String> OWN_STREAMS = Set.of("/dev/stdout", "/dev/stderr", "-");

  private final List<Token> tokens;
  private final ScriptSink sink;
  /** For each open bracket: whether it holds the arguments of a call that may assign to them. */
  private final Deque<Boolean> brackets = new ArrayDeque<>();
  private int printDepth = -1;
  private int getlineDepth = -1;

  private AwkProgram(List<Token> tokens, ScriptSink sink) {
    this.tokens = tokens;
    this.sink = sink;
  }

  static void check(String program, ScriptSink sink) {
    List<Token> tokens;
    try {
      tokens = AwkLexer.tokens(program);
    } catch (AwkLexer.Unclear e) {
      sink.refuse(UNCLEAR, e.getMessage());
      return;
    }
    new AwkProgram(tokens, sink).run();
  }

  /** A {@code -v name=value} assignment: refused when it sets a protected variable. */
  static void assignment(String text, ScriptSink sink) {
    int equals = text.indexOf('=');
    String name = (equals < 0 ? text : text.substring(0, equals)).strip();
    if (PROTECTED.contains(name)) {
      sink.refuse(SPECIAL_VARIABLE, name);
    }
  }

  /** An operand: {@code name=value} is an assignment to awk, anything else a file it reads. */
  static void operand(String text, ScriptSink sink) {
    int equals = text.indexOf('=');
    if (equals > 0 && isName(text.substring(0, equals))) {
      assignment(text, sink);
    } else {
      sink.file(text);
    }
  }

  private static boolean isName(String word) {
    if (!(Character.isLetter(word.charAt(0)) || word.charAt(0) == '_')) {
      return false;
    }
    return word.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_'));
  }

  private void run() {
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      switch (token.kind()) {
        case NEWLINE -> endStatement();
        case NAME -> {
          if (PROTECTED.contains(token.text())) {
            protectedName(i);
          }
        }
        case BUILTIN -> {
          if (token.text().equals("system")) {
            sink.refuse(RUNS_COMMANDS, "system");
          }
        }
        case KEYWORD -> {
          if (token.is("print") || token.is("printf")) {
            printDepth = brackets.size();
          } else if (token.is("getline")) {
            getlineDepth = brackets.size();
          }
        }
        case OP -> operator(i, token.text());
        default -> {
          // numbers, strings and regexes are data
        }
      }
    }
  }

  private void operator(int i, String op) {
    switch (op) {
      case ";", "{", "}" -> endStatement();
      case "(" -> {
        Token before = i > 0 ? tokens.get(i - 1) : null;
        brackets.push(before != null && (before.kind() == Kind.NAME
            || before.kind() == Kind.BUILTIN && WRITERS.contains(before.text())));
      }
      case "[" -> brackets.push(false);
      case ")", "]" -> {
        if (!brackets.isEmpty()) {
          brackets.pop();
        }
      }
      case "|", "|&" -> sink.refuse(RUNS_COMMANDS, op);
      case "@" -> sink.refuse(DIRECTIVE, "@");
      case ">", ">>" -> {
        if (printDepth == brackets.size()) {
          target(i + 1, true, op);
        }
      }
      case "<" -> {
        if (getlineDepth == brackets.size()) {
          target(i + 1, false, op);
        }
      }
      default -> {
        // arithmetic, comparison, assignment of ordinary variables
      }
    }
  }

  /** The target of a redirection: a lone string literal is a file to judge; anything else is refused. */
  private void target(int at, boolean written, String redirection) {
    Token target = at < tokens.size() ? tokens.get(at) : null;
    if (target == null || target.kind() != Kind.STRING || !endsTarget(at + 1)) {
      sink.refuse(UNKNOWN_TARGET, target == null ? redirection : redirection + " " + target.text());
      return;
    }
    String file = target.value();
    if (OWN_STREAMS.contains(file)) {
      return;
    }
    if (written) {
      sink.written(file);
    } else {
      sink.file(file);
    }
  }

  /** "a" b is one string to awk: a target made of more than the literal cannot be judged. */
  private boolean endsTarget(int at) {
    if (at >= tokens.size()) {
      return true;
    }
    Token next = tokens.get(at);
    return next.kind() == Kind.NEWLINE || next.is(";") || next.is("}") || next.is(")");
  }

  /** A protected variable, refused wherever it may be changed (SYMTAB wherever it appears). */
  private void protectedName(int i) {
    String name = tokens.get(i).text();
    Token before = i > 0 ? tokens.get(i - 1) : null;
    int after = i + 1;
    if (after < tokens.size() && tokens.get(after).is("[")) {
      after = closing(after) + 1;
    }
    Token next = after < tokens.size() ? tokens.get(after) : null;
    boolean changed = name.equals("SYMTAB")
        || (next != null && (ASSIGNMENTS.contains(next.text()) && next.kind() == Kind.OP
            || next.is("++") || next.is("--") || next.is("in") && before != null && before.is("(")))
        || (before != null && (before.is("++") || before.is("--") || before.is("getline") || before.is("delete")))
        || brackets.contains(Boolean.TRUE);
    if (changed) {
      sink.refuse(SPECIAL_VARIABLE, name);
    }
  }

  /** The index of the bracket that closes the one at {@code open}, or the last token. */
  private int closing(int open) {
    int depth = 0;
    for (int k = open; k < tokens.size(); k++) {
      Token token = tokens.get(k);
      if (token.is("[") || token.is("(")) {
        depth++;
      } else if ((token.is("]") || token.is(")")) && --depth == 0) {
        return k;
      }
    }
    return tokens.size() - 1;
  }

  private void endStatement() {
    printDepth = -1;
    getlineDepth = -1;
  }
}
