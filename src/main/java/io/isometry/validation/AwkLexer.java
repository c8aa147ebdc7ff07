package io.isometry.validation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Splits an awk program into tokens the way awk's own grammar does, so that the policy and awk
 * agree on where every string, regular expression and comment begins and ends.
 *
 * <p>The one hard question of awk's lexing is whether {@code /} divides or opens a regular
 * expression; the grammar answers it, and the previous token is what tells the grammar's state:
 * after an operand (a name, a number, a string, a regex, {@code )}, {@code ]}, a postfix
 * {@code ++}/{@code --}) it divides; after an operator, {@code (}, {@code ,}, {@code ;}, braces, a
 * newline, {@code $}, or keywords that take an expression ({@code print}, {@code else},
 * {@code return}, ...) it opens a regex. Where the awks disagree or the grammar leaves it to
 * context the policy cannot see — after the {@code )} of an {@code if}/{@code while}/{@code for}
 * condition (gawk: regex, mawk: division), after a built-in name such as {@code length} or after
 * {@code getline}, after {@code in} or a prefix {@code ++} — the program is refused as
 * {@link Unclear}. So is a {@code /} inside a bracket expression of a regex (gawk keeps it, older
 * awks end the regex there), a number glued to a name ({@code 1system}), {@code ::}, a lone
 * {@code &}, an unterminated string or regex, and any character awk does not know.
 */
final class AwkLexer {

  enum Kind { NAME, BUILTIN, KEYWORD, NUMBER, STRING, REGEX, OP, NEWLINE }

  /**
   * One token.
   *
   * @param text as written (for operators, the operator)
   * @param value a string literal's value with awk's escapes read; otherwise the text
   * @param control a {@code )} that closes the condition of if, while, for or switch
   */
  record Token(Kind kind, String text, String value, boolean control) {

    boolean is(String op) {
      return (kind == Kind.OP || kind == Kind.KEYWORD) && text.equals(op);
    }
  }

  /** The program cannot be read with certainty; the message says where and why. */
  static final class Unclear extends Exception {
    Unclear(String why) {
      super(why, null, false, false);
    }
  }

  static final Set<String> KEYWORDS = Set.of("BEGIN", "END", "BEGINFILE", "ENDFILE", "function", "func", "if", "else",
      "while", "for", "do", "break", "continue", "next", "nextfile", "exit", "return", "delete", "getline", "print",
      "printf", "in", "switch", "case", "default");
  static final Set<String> BUILTINS = Set.of("length", "substr", "index", "split", "sub", "gsub", "gensub", "match",
      "sprintf", "sin", "cos", "atan2", "exp", "log", "sqrt", "int", "rand", "srand", "tolower", "toupper", "close",
      "fflush", "system", "systime", "strftime", "mktime", "and", "or", "xor", "lshift", "rshift", "compl", "asort",
      "asorti", "patsplit", "isarray", "typeof", "strtonum", "bindtextdomain", "dcgettext", "dcngettext", "mkbool");
  private static final Set<String> CONTROL = Set.of("if", "while", "for", "switch");
  /** Longest first, so that {@code **=} is not read as {@code *} {@code *=}. */
  private static final List<String> OPERATORS = List.of("**=", "**", "^=", "%=", "*=", "+=", "-=", "==", "!=", "<=",
      ">=", "!~", "&&", "||", "|&", ">>", "++", "--", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "%", "^",
      "!", ">", "<", "|", "?", ":", "~", "$", "=", "@");

  private final String text;
  private final List<Token> tokens = new ArrayList<>();
  /** For each open {@code (}: whether it opened the condition of a control statement. */
  private final Deque<Boolean> parens = new ArrayDeque<>();
  private int pos;

  private AwkLexer(String text) {
    this.text = text;
  }

  static List<Token> tokens(String program) throws Unclear {
    AwkLexer lexer = new AwkLexer(program);
    lexer.run();
    return lexer.tokens;
  }

  private void run() throws Unclear {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '\\') {
        continuation();
      } else if (c == '\n') {
        add(Kind.NEWLINE, "\n");
        pos++;
      } else if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '"') {
        string();
      } else if (c == '/') {
        slash();
      } else if (isNameStart(c)) {
        name();
      } else if (isDigit(c) || (c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
        number();
      } else {
        operator();
      }
    }
  }

  private void continuation() throws Unclear {
    int next = pos + 1;
    if (next < text.length() && text.charAt(next) == '\r') {
      next++;
    }
    if (next >= text.length() || text.charAt(next) != '\n') {
      throw new Unclear("a backslash outside a string or regex at position " + pos);
    }
    pos = next + 1;
  }

  private void name() throws Unclear {
    int start = pos;
    while (pos < text.length() && (isNameStart(text.charAt(pos)) || isDigit(text.charAt(pos)))) {
      pos++;
    }
    String name = text.substring(start, pos);
    Kind kind = KEYWORDS.contains(name) ? Kind.KEYWORD : BUILTINS.contains(name) ? Kind.BUILTIN : Kind.NAME;
    add(kind, name);
  }

  private void number() throws Unclear {
    int start = pos;
    if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
      pos += 2;
      while (pos < text.length() && Character.digit(text.charAt(pos), 16) >= 0) {
        pos++;
      }
    } else {
      digits();
      if (pos < text.length() && text.charAt(pos) == '.') {
        pos++;
        digits();
      }
      if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
        int mark = pos++;
        if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
          pos++;
        }
        if (pos < text.length() && isDigit(text.charAt(pos))) {
          digits();
        } else {
          pos = mark; // 1e alone: the number ends before the e, which the next check refuses
        }
      }
    }
    if (pos < text.length() && (isNameStart(text.charAt(pos)) || isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
      // 1system("id") is 1 concatenated with a call; awks differ on where such a number ends.
      throw new Unclear("a number glued to a name at position " + start);
    }
    add(Kind.NUMBER, text.substring(start, pos));
  }

  private void digits() {
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
  }

  private void operator() throws Unclear {
    for (String op : OPERATORS) {
      if (text.startsWith(op, pos)) {
        if (op.equals(":") && text.startsWith("::", pos)) {
          throw new Unclear("'::' (a gawk namespace) at position " + pos);
        }
        pos += op.length();
        punctuation(op);
        return;
      }
    }
    throw new Unclear("'" + text.charAt(pos) + "' at position " + pos + " is not awk");
  }

  private void punctuation(String op) throws Unclear {
    boolean control = false;
    if (op.equals("(")) {
      Token previous = previous();
      parens.push(previous != null && previous.kind() == Kind.KEYWORD && CONTROL.contains(previous.text()));
    } else if (op.equals(")")) {
      control = !parens.isEmpty() && parens.pop();
    }
    tokens.add(new Token(Kind.OP, op, op, control));
  }

  /** A {@code /}: division (or {@code /=}) after an operand, a regex where an operand may start. */
  private void slash() throws Unclear {
    Boolean divides = dividesAfter(previous(), tokens.size() >= 2 ? tokens.get(tokens.size() - 2) : null);
    if (divides == null) {
      throw new Unclear("'/' at position " + pos + " could divide or open a regex");
    }
    if (divides) {
      boolean assign = pos + 1 < text.length() && text.charAt(pos + 1) == '=';
      pos += assign ? 2 : 1;
      tokens.add(new Token(Kind.OP, assign ? "/=" : "/", assign ? "/=" : "/", false));
    } else {
      regex();
    }
  }

  /** True: division; false: a regex; null: the awks or the grammar's context could read it either way. */
  static Boolean dividesAfter(Token previous, Token beforePrevious) {
    if (previous == null) {
      return false;
    }
    return switch (previous.kind()) {
      case NAME, NUMBER, STRING, REGEX -> true;
      case BUILTIN -> null;
      case NEWLINE -> false;
      case KEYWORD -> previous.text().equals("getline") || previous.text().equals("in") ? null : false;
      case OP -> switch (previous.text()) {
        case ")" -> previous.control() ? null : true;
        case "]" -> true;
        case "++", "--" -> isOperandEnd(beforePrevious) ? true : null;
        default -> false;
      };
    };
  }

  private static boolean isOperandEnd(Token token) {
    if (token == null) {
      return false;
    }
    return switch (token.kind()) {
      case NAME -> true;
      case OP -> token.text().equals("]") || (token.text().equals(")") && !token.control());
      default -> false;
    };
  }

  /** A regex from its opening slash, ended as gawk ends it; a slash inside brackets is refused. */
  private void regex() throws Unclear {
    int start = pos++;
    StringBuilder body = new StringBuilder();
    int inBracket = 0;
    int bracketAt = -1;
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        throw new Unclear("an unterminated regex at position " + start);
      }
      char c = text.charAt(pos++);
      switch (c) {
        case '\\' -> {
          if (pos >= text.length()) {
            throw new Unclear("an unterminated regex at position " + start);
          }
          char escaped = text.charAt(pos++);
          if (escaped != '\n') {
            body.append('\\').append(escaped);
          }
          continue;
        }
        case '[' -> {
          if ((pos < text.length() && text.charAt(pos) == ':') || inBracket == 0) {
            inBracket++;
          }
          if (inBracket == 1 && bracketAt < 0) {
            bracketAt = body.length();
          }
        }
        case ']' -> {
          boolean literal = bracketAt >= 0 && (body.length() == bracketAt + 1
              || (body.length() == bracketAt + 2 && body.charAt(bracketAt + 1) == '^'));
          if (!literal && inBracket > 0 && --inBracket == 0) {
            bracketAt = -1;
          }
        }
        case '/' -> {
          if (inBracket > 0) {
            throw new Unclear("a '/' inside a bracket expression at position " + (pos - 1)
                + ": awks disagree on whether it ends the regex");
          }
          tokens.add(new Token(Kind.REGEX, text.substring(start, pos), body.toString(), false));
          return;
        }
        default -> {
          // an ordinary character of the regex
        }
      }
      body.append(c);
    }
  }

  /** A string literal; its value has awk's escapes read (others kept as written, backslash included). */
  private void string() throws Unclear {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        throw new Unclear("an unterminated string at position " + start);
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        tokens.add(new Token(Kind.STRING, text.substring(start, pos), value.toString(), false));
        return;
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw new Unclear("an unterminated string at position " + start);
      }
      char escaped = text.charAt(pos++);
      switch (escaped) {
        case '\n' -> {
          // a continued line
        }
        case 'n' -> value.append('\n');
        case 't' -> value.append('\t');
        case '/', '"', '\\' -> value.append(escaped);
        default -> value.append('\\').append(escaped); // kept: the path judge refuses a backslash as disguised
      }
    }
  }

  private void add(Kind kind, String word) {
    tokens.add(new Token(kind, word, word, false));
  }

  private Token previous() {
    return tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
