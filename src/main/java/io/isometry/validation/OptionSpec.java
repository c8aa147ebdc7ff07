package io.isometry.validation;

import java.util.Map;

/**
 * One option of a program, short ({@code -f}) or long ({@code --file}).
 *
 * @param name the option as written in the rules, for messages
 * @param arity whether it takes a value
 * @param role what its value is
 * @param refusal why using it is refused, or null
 * @param replacesPattern giving it means the program's first operand is no pattern (grep -e)
 * @param changes giving it changes what the program's other words are, by role: {@code sed -i}
 *     writes the files it reads ({@code file} becomes {@code output}), {@code md5sum -c} reads
 *     names from them, {@code tar -x} writes an archive's members
 */
record OptionSpec(String name, Arity arity, ArgumentRole role, Refusal refusal, boolean replacesPattern, Map<ArgumentRole, ArgumentRole> changes) {

  enum Arity {
    NONE,
    /** In the same word ({@code -fFILE}, {@code --file=FILE}) or the next one. */
    REQUIRED,
    /** Only in the same word ({@code -i.bak}, {@code --in-place=.bak}), as getopt reads it. */
    OPTIONAL
  }
}
