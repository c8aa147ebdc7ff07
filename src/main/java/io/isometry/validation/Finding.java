package io.isometry.validation;

/**
 * Something the rules refuse, found while reading a command line: a program, an option, an
 * option the rules do not know, a subcommand or find primary they do not allow.
 *
 * @param index the position in argv of the word it was found in
 * @param program the program (with its subcommand: {@code git clone})
 * @param option the option or primary as written, or null when the program itself is refused
 * @param value the option's value, when it has one, or null
 * @param refusal why
 */
record Finding(int index, String program, String option, String value, Refusal refusal) {
}
