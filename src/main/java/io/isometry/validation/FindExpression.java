package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.isometry.validation.ProgramSpec.PrimarySpec;
import java.util.Set;

/**
 * Reads find's command line, which is no getopt: leading options ({@code -H -L -P -D x -O3}),
 * then the starting points (files), then an expression of primaries, each with its own number of
 * arguments. The primaries and what their arguments are come from the rules; a primary that runs
 * a command ({@code -exec ... ;}) is skipped up to its terminator, so its words are not mistaken
 * for primaries.
 */
final class FindExpression {

  private static final Set<String> OPERATORS = Set.of("(", ")", "!", ",", "-a", "-and", "-o", "-or", "-not");
  private static final Refusal UNKNOWN_PRIMARY = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.MEDIUM,
      "the rules do not know this primary, so the policy cannot tell what it does");

  private final ProgramSpec spec;
  private final ArgumentReader.Reading reading;

  FindExpression(ProgramSpec spec, ArgumentReader.Reading reading) {
    this.spec = spec;
    this.reading = reading;
  }

  void read(int start) {
    var argv = reading.argv;
    int i = start;
    while (i < argv.size() && isLeadingOption(argv.get(i))) {
      i = leadingOption(argv.get(i), i);
    }
    while (i < argv.size() && isStartingPoint(argv.get(i))) {
      reading.add(i, argv.get(i), ArgumentRole.FILE, false);
      i++;
    }
    while (i < argv.size()) {
      i = primary(argv.get(i), i);
    }
  }

  private static boolean isLeadingOption(String word) {
    return word.equals("-H") || word.equals("-L") || word.equals("-P") || word.startsWith("-D") || word.startsWith("-O");
  }

  private int leadingOption(String word, int i) {
    var option = spec.shortOptions().get(word.charAt(1));
    if (option == null) {
      reading.finding(new Finding(i, spec.name(), word, null, UNKNOWN_PRIMARY));
      return i + 1;
    }
    if (option.refusal() != null) {
      reading.finding(new Finding(i, spec.name(), word, null, option.refusal()));
    }
    if (option.arity() == OptionSpec.Arity.REQUIRED && word.length() == 2) {
      if (i + 1 < reading.argv.size()) {
        reading.add(i + 1, reading.argv.get(i + 1), option.role(), option.refusal() != null);
      }
      return i + 2;
    }
    if (word.length() > 2) {
      reading.add(i, word.substring(2), option.role(), option.refusal() != null);
    }
    return i + 1;
  }

  private static boolean isStartingPoint(String word) {
    return !(word.length() > 1 && word.charAt(0) == '-') && !OPERATORS.contains(word);
  }

  private int primary(String word, int i) {
    if (OPERATORS.contains(word)) {
      return i + 1;
    }
    PrimarySpec primary = spec.primaries().get(word);
    if (primary == null && word.startsWith("-newer") && word.length() == 8) {
      // -newerXY: Y = t compares with a time given as text, any other Y with a reference file.
      primary = new PrimarySpec(word, 1, word.charAt(7) == 't' ? ArgumentRole.TEXT : ArgumentRole.FILE, null);
    }
    if (primary == null) {
      if (word.length() > 1 && word.charAt(0) == '-') {
        reading.finding(new Finding(i, spec.name(), word, null, UNKNOWN_PRIMARY));
      } else {
        reading.add(i, word, ArgumentRole.FILE, false); // a path after the expression: find refuses it, we judge it
      }
      return i + 1;
    }
    boolean refused = primary.refusal() != null;
    if (refused) {
      reading.finding(new Finding(i, spec.name(), word, null, primary.refusal()));
    }
    if (primary.args() == PrimarySpec.COMMAND) {
      return command(i, refused);
    }
    for (int k = 1; k <= primary.args() && i + k < reading.argv.size(); k++) {
      reading.add(i + k, reading.argv.get(i + k), primary.role(), refused);
    }
    return i + 1 + primary.args();
  }

  /** {@code -exec prog args... ;} or {@code ... {} +}: the program is a command, the rest skipped. */
  private int command(int i, boolean refused) {
    var argv = reading.argv;
    if (i + 1 < argv.size()) {
      reading.add(i + 1, argv.get(i + 1), ArgumentRole.COMMAND, refused);
    }
    int j = i + 1;
    while (j < argv.size() && !argv.get(j).equals(";") && !(argv.get(j).equals("+") && argv.get(j - 1).equals("{}"))) {
      j++;
    }
    return j + 1;
  }
}
