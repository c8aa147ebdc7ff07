package io.isometry.validation;

/**
 * A word of the command line with what it is to its program.
 *
 * @param index its position in argv (argv[0] is the program)
 * @param text the word, or the part of it that is the value ({@code x} of {@code --file=x})
 * @param role how the policy judges it
 * @param refused it belongs to an option or program the rules already refuse
 */
record Argument(int index, String text, ArgumentRole role, boolean refused) {
}
