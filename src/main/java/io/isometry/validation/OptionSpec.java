package io.isometry.validation;

/**
 * One option of a program, short ({@code -f}) or long ({@code --file}).
 *
 * @param name the option as written in the rules, for messages
 * @param arity whether it takes a value
 * @param role what its value is
 * @param refusal why using it is refused, or null
 * @param replacesPattern giving it means the program's first operand is no pattern (grep -e)
 */
record OptionSpec(String name, Arity arity, Role role, Refusal refusal, boolean replacesPattern) {

  enum Arity {
    NONE,
    /** In the same word ({@code -fFILE}, {@code --file=FILE}) or the next one. */
    REQUIRED,
    /** Only in the same word ({@code -i.bak}, {@code --in-place=.bak}), as getopt reads it. */
    OPTIONAL
  }
}
