package io.isometry.os;

/**
 * What a child gets as its standard input: {@code /dev/null}; a pipe the engine writes; or a
 * pseudo-terminal of {@code cols} × {@code rows} that is its stdin, stdout and stderr at once.
 */
public record ChildStdin(Kind kind, int cols, int rows) {

  public enum Kind {
    NULL,
    PIPE,
    TERMINAL
  }

  public static final ChildStdin NULL = new ChildStdin(Kind.NULL, 0, 0);
  public static final ChildStdin PIPE = new ChildStdin(Kind.PIPE, 0, 0);

  public static ChildStdin terminal(int cols, int rows) {
    return new ChildStdin(Kind.TERMINAL, cols, rows);
  }

  public boolean terminal() {
    return kind == Kind.TERMINAL;
  }
}
