package io.isometry.validation;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * How one program reads its command line, as the argument rules describe it: its option table
 * (which short options take a value, which long options exist, so that clusters and GNU
 * abbreviations are parsed rather than pattern-matched) and what its operands are.
 *
 * @param name the program
 * @param shortOptions by letter
 * @param longOptions by name without dashes, sorted so that abbreviations are a range lookup
 * @param operands the roles of the operands in order; the last one repeats
 * @param lastOperand the role of the last of two or more operands (cp's destination), unless an
 *     option gave an {@link ArgumentRole#OUTPUT} ({@code -t DIR}); null when it is like the others
 * @param pattern the role of the first operand unless an option replaces it (grep's pattern), or null
 * @param optionsAnywhere GNU permutation: options may follow operands; false: the first operand
 *     ends the options (python3, env, git before its subcommand)
 * @param refuseUnknownOptions an option missing from the table is refused; otherwise its value
 *     (if any is visible) is judged as a file
 * @param oldStyleFirstWord tar: a first word without a dash is a cluster of options
 * @param numericOptions {@code -5} is an option (head, tail)
 * @param plainText every word is text, nothing is an option (echo, printf, seq)
 * @param refusal the program is refused outright (shells, launchers), or null
 * @param subcommands git: the first operand chooses the spec for the rest
 * @param primaries find: the primaries of its expression
 */
record ProgramSpec(
    String name,
    Map<Character, OptionSpec> shortOptions,
    NavigableMap<String, OptionSpec> longOptions,
    List<ArgumentRole> operands,
    ArgumentRole lastOperand,
    ArgumentRole pattern,
    boolean optionsAnywhere,
    boolean refuseUnknownOptions,
    boolean oldStyleFirstWord,
    boolean numericOptions,
    boolean plainText,
    Refusal refusal,
    Map<String, ProgramSpec> subcommands,
    Map<String, PrimarySpec> primaries) {

  /** A primary of find's expression: how many words follow it and what they are. */
  record PrimarySpec(String name, int args, ArgumentRole role, Refusal refusal) {

    /** {@code args} of a primary that takes a command up to {@code ;} or {@code +} (-exec). */
    static final int COMMAND = -1;
  }

  /** The role of the {@code index}-th operand, not counting a pattern. */
  ArgumentRole operandRole(int index) {
    return operands.get(Math.min(index, operands.size() - 1));
  }
}
