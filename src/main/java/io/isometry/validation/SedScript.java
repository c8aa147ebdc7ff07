package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;

/**
 * Judges a sed script (GNU sed's language, which POSIX sed's is part of) by parsing it command
 * by command: addresses, then one command letter and what that letter takes. Refused: {@code e}
 * (runs the command it names, or the pattern space, in a shell) and the {@code e} flag of
 * {@code s}. The files of {@code r R w W} and of the {@code w} flag of {@code s} are judged like
 * any file argument, those of {@code w} as files written ({@code /dev/stdout} and
 * {@code /dev/stderr} are sed's own). A script the
 * parser cannot read is refused: what the policy cannot read, it does not vouch for.
 */
final class SedScript {

  private static final Refusal EXECUTES = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "sed's e command and the e flag of s run shell commands");
  private static final Refusal UNREADABLE = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.MEDIUM,
      "the policy cannot read this sed script, so it cannot tell what it does");

  private final String text;
  private final ScriptSink sink;
  private int pos;

  private SedScript(String text, ScriptSink sink) {
    this.text = text;
    this.sink = sink;
  }

  static void check(String script, ScriptSink sink) {
    SedScript sed = new SedScript(script, sink);
    try {
      sed.run();
    } catch (Unreadable e) {
      sink.refuse(UNREADABLE, e.getMessage());
    }
  }

  /** The script breaks sed's grammar where this names. */
  private static final class Unreadable extends Exception {
    Unreadable(String where) {
      super(where, null, false, false);
    }
  }

  private void run() throws Unreadable {
    while (true) {
      skip(" \t\n;");
      if (pos >= text.length()) {
        return;
      }
      if (peek() == '#') {
        toEndOfLine();
        continue;
      }
      address();
      skip(" \t");
      if (peek() == ',') {
        pos++;
        skip(" \t");
        address();
        skip(" \t");
      }
      while (peek() == '!') {
        pos++;
        skip(" \t");
      }
      command();
    }
  }

  private void address() throws Unreadable {
    char c = peek();
    if (Character.isDigit(c)) {
      digits();
      if (peek() == '~') {
        pos++;
        digits();
      }
    } else if (c == '$') {
      pos++;
    } else if (c == '+' || c == '~') {
      pos++;
      digits();
    } else if (c == '/' || c == '\\') {
      if (c == '\\') {
        pos++;
      }
      char delimiter = next();
      delimited(delimiter);
      while (peek() == 'I' || peek() == 'M') {
        pos++;
      }
    }
  }

  private void command() throws Unreadable {
    int start = pos;
    char c = next();
    switch (c) {
      case '{' -> {
        // a block opens: its commands follow at once
      }
      case '}', '=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F' -> end();
      case 'l', 'L', 'q', 'Q' -> {
        skip(" \t");
        digits();
        end();
      }
      case ':', 'b', 't', 'T', 'v' -> label();
      case 'a', 'i', 'c' -> text();
      case 'r', 'R' -> file(fileName(), false);
      case 'w', 'W' -> file(fileName(), true);
      case 'e' -> {
        sink.refuse(EXECUTES, "e");
        toEndOfLine();
      }
      case 's' -> substitute();
      case 'y' -> {
        char delimiter = next();
        delimited(delimiter);
        delimited(delimiter);
        end();
      }
      default -> throw new Unreadable("unknown command '" + c + "' at position " + start);
    }
  }

  private void substitute() throws Unreadable {
    char delimiter = next();
    if (delimiter == '\n' || delimiter == '\\') {
      throw new Unreadable("bad delimiter of s at position " + (pos - 1));
    }
    delimited(delimiter);
    delimited(delimiter);
    while (pos < text.length()) {
      char flag = peek();
      if (flag == 'e') {
        sink.refuse(EXECUTES, "s" + delimiter + "..." + delimiter + "e");
        pos++;
      } else if (flag == 'w') {
        pos++;
        file(fileName(), true);
        return;
      } else if ("gpiImM0123456789".indexOf(flag) >= 0) {
        pos++;
      } else {
        break;
      }
    }
    end();
  }

  /** Up to the next unescaped {@code delimiter}, which is consumed. */
  private void delimited(char delimiter) throws Unreadable {
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '\\') {
        pos++;
      } else if (c == delimiter) {
        return;
      } else if (c == '\n' && delimiter != '\n') {
        throw new Unreadable("unterminated expression at position " + pos);
      }
    }
    throw new Unreadable("unterminated expression at the end");
  }

  /** After a command: only blanks, then a separator, a closing brace, a comment or the end. */
  private void end() throws Unreadable {
    skip(" \t");
    char c = peek();
    if (c == '\0' || c == ';' || c == '\n' || c == '}' || c == '#') {
      return;
    }
    throw new Unreadable("unexpected '" + c + "' at position " + pos);
  }

  /** A label: up to the end of the line or a semicolon, as GNU sed reads it. */
  private void label() {
    skip(" \t");
    while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != ';') {
      pos++;
    }
  }

  /** A file sed reads or writes; {@code /dev/stdout} and {@code /dev/stderr} are sed's own streams. */
  private void file(String name, boolean written) {
    if (name.equals("/dev/stdout") || name.equals("/dev/stderr")) {
      return;
    }
    if (written) {
      sink.written(name);
    } else {
      sink.file(name);
    }
  }

  /** The text of a, i, c: one line ({@code a text}) or lines continued with backslashes ({@code a\}). */
  private void text() {
    while (pos < text.length() && text.charAt(pos) != '\n') {
      if (text.charAt(pos) == '\\') {
        pos++;
      }
      pos++;
    }
  }

  /** A file name: the rest of the line, after blanks, as GNU sed reads it. */
  private String fileName() {
    skip(" \t");
    int start = pos;
    toEndOfLine();
    return text.substring(start, Math.min(pos, text.length()));
  }

  private void toEndOfLine() {
    while (pos < text.length() && text.charAt(pos) != '\n') {
      pos++;
    }
  }

  private void digits() {
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
  }

  private void skip(String characters) {
    while (pos < text.length() && characters.indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() throws Unreadable {
    if (pos >= text.length()) {
      throw new Unreadable("the script ends where a command or delimiter was expected");
    }
    return text.charAt(pos++);
  }
}
