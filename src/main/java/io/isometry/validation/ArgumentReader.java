package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.isometry.validation.OptionSpec.Arity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an argv the way its program does, with the program's option table from the rules:
 * short options cluster ({@code -xvIfoo} is {@code -x -v -I foo} when {@code -I} takes a value),
 * long options take {@code =value} or the next word and may be abbreviated to any unique prefix
 * (GNU getopt_long: {@code --to-comm} is {@code --to-command}), {@code --} ends the options, and a
 * program either permutes (options after operands still count) or stops at its first operand.
 *
 * <p>A program without rules is read the GNU way with an empty table and judged fail-closed:
 * every operand and every value it might take is a file it may write, and so is the value of an
 * operand spelled {@code name=value} ({@code dd of=FILE}). Immutable and thread-safe.
 */
final class ArgumentReader {

  /** How a program without rules is read. */
  static final ProgramSpec UNKNOWN = new ProgramSpec("", Map.of(), Collections.unmodifiableNavigableMap(new TreeMap<>()),
      List.of(ArgumentRole.OUTPUT), null, null, true, false, false, false, false, null, Map.of(), Map.of());

  private static final Refusal UNKNOWN_OPTION = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.MEDIUM,
      "the rules do not know this option, so the policy cannot tell what it does");
  private static final Refusal UNKNOWN_SUBCOMMAND = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
      "the rules do not allow this subcommand");

  private final SecurityRules rules;

  ArgumentReader(SecurityRules rules) {
    this.rules = rules;
  }

  /** The command line of {@code argv}; argv[0] chooses the rules by its last path element. */
  CommandLine read(List<String> argv) {
    if (argv.isEmpty()) {
      return CommandLine.EMPTY;
    }
    ProgramSpec spec = rules.program(ProgramNames.baseName(argv.get(0)));
    Reading reading = new Reading(argv);
    reading.program(spec == null ? UNKNOWN : spec, 1);
    return new CommandLine(spec, reading.arguments, reading.findings);
  }

  /** One reading: all mutable state lives here, so the reader itself can be shared. */
  static final class Reading {

    final List<String> argv;
    final List<Argument> arguments = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();
    /** The program (or option) being read is refused as a whole: its words are no second offence. */
    private boolean refusedProgram;
    /** What the options given so far change in the roles of the program's words. */
    private Map<ArgumentRole, ArgumentRole> changes = Map.of();

    Reading(List<String> argv) {
      this.argv = argv;
    }

    void program(ProgramSpec spec, int start) {
      if (spec.refusal() != null) {
        findings.add(new Finding(start - 1, spec.name(), null, null, spec.refusal()));
        refusedProgram = true;
      }
      if (spec.plainText()) {
        for (int i = start; i < argv.size(); i++) {
          add(i, argv.get(i), ArgumentRole.TEXT, false);
        }
      } else if (!spec.primaries().isEmpty()) {
        new FindExpression(spec, this).read(start);
      } else {
        options(spec, start);
      }
    }

    private void options(ProgramSpec spec, int start) {
      int first = arguments.size();
      changes = new EnumMap<>(ArgumentRole.class);
      List<Integer> operands = new ArrayList<>();
      Deque<OptionSpec> pending = new ArrayDeque<>();
      boolean[] patternReplaced = {false};
      boolean optionsDone = false;
      int i = start;
      while (i < argv.size()) {
        String word = argv.get(i);
        if (!pending.isEmpty()) {
          value(pending.poll(), word, i);
          i++;
        } else if (i == start && spec.oldStyleFirstWord() && !word.isEmpty() && word.charAt(0) != '-') {
          // tar cvf archive.tar ...: the letters are options; their values follow in order.
          cluster(spec, word, 0, i, pending, patternReplaced);
          i++;
        } else if (optionsDone || !isOption(spec, word, operands.isEmpty() && !patternReplaced[0])) {
          if (!spec.subcommands().isEmpty() && operands.isEmpty()) {
            subcommand(spec, word, i);
            return;
          }
          operands.add(i);
          optionsDone |= !spec.optionsAnywhere();
          i++;
        } else if (word.equals("--")) {
          optionsDone = true;
          i++;
        } else if (word.startsWith("--")) {
          i = longOption(spec, word, i, patternReplaced);
        } else {
          i = cluster(spec, word, 1, i, null, patternReplaced);
        }
      }
      int positional = 0;
      boolean destination = spec.lastOperand() != null && !targetGiven(first)
          && operands.size() - (spec.pattern() != null && !patternReplaced[0] ? 1 : 0) >= 2;
      for (int k = 0; k < operands.size(); k++) {
        int index = operands.get(k);
        String word = argv.get(index);
        ArgumentRole role = k == 0 && spec.pattern() != null && !patternReplaced[0] ? spec.pattern() : spec.operandRole(positional++);
        if (destination && k == operands.size() - 1) {
          role = spec.lastOperand();
        }
        add(index, word, role, false);
        int equals = word.indexOf('=');
        if (spec == UNKNOWN && equals > 0) {
          add(index, word.substring(equals + 1), ArgumentRole.OUTPUT, false);
        }
      }
      for (int k = first; k < arguments.size(); k++) {
        Argument argument = arguments.get(k);
        ArgumentRole changed = changes.get(argument.role());
        if (changed != null) {
          arguments.set(k, new Argument(argument.index(), argument.text(), changed, argument.refused()));
        }
      }
    }

    /** An option of this program has named where its output goes ({@code cp -t DIR}). */
    private boolean targetGiven(int first) {
      for (int k = first; k < arguments.size(); k++) {
        if (arguments.get(k).role() == ArgumentRole.OUTPUT) {
          return true;
        }
      }
      return false;
    }

    /**
     * A word starting with a dash is an option, except a lone dash (standard input) and, for
     * chmod, a symbolic mode such as {@code -x} or {@code -w,+s} where the mode is expected.
     */
    private static boolean isOption(ProgramSpec spec, String word, boolean patternExpected) {
      if (word.length() < 2 || word.charAt(0) != '-') {
        return false;
      }
      return word.equals("--") || !(patternExpected && spec.pattern() == ArgumentRole.MODE && FileModes.isSymbolic(word));
    }

    private void subcommand(ProgramSpec spec, String word, int i) {
      add(i, word, ArgumentRole.TEXT, false);
      ProgramSpec sub = spec.subcommands().get(word);
      if (sub == null) {
        findings.add(new Finding(i, spec.name(), word, null, UNKNOWN_SUBCOMMAND));
        boolean before = refusedProgram;
        refusedProgram = true;
        program(UNKNOWN, i + 1);
        refusedProgram = before;
      } else {
        program(sub, i + 1);
      }
    }

    private int longOption(ProgramSpec spec, String word, int i, boolean[] patternReplaced) {
      int equals = word.indexOf('=');
      String name = equals < 0 ? word.substring(2) : word.substring(2, equals);
      String value = equals < 0 ? null : word.substring(equals + 1);
      OptionSpec option = spec.longOptions().get(name);
      if (option == null) {
        List<OptionSpec> candidates = abbreviations(spec, name);
        if (candidates.size() > 1) {
          ambiguous(spec, word, name, value, i, candidates);
          return i + 1;
        }
        if (candidates.isEmpty()) {
          unknown(spec, "--" + name, value, i);
          return i + 1;
        }
        option = candidates.get(0);
      }
      if (option.arity() == Arity.REQUIRED && value == null) {
        boolean present = i + 1 < argv.size();
        option(spec, option, "--" + name, present ? argv.get(i + 1) : null, i, patternReplaced);
        if (present) {
          value(option, argv.get(i + 1), i + 1);
        }
        return i + 2;
      }
      option(spec, option, "--" + name, value, i, patternReplaced);
      if (value != null) {
        // A value given to an option that takes none is an error to the program; judge it anyway.
        value(option.arity() == Arity.NONE ? fileValue(option) : option, value, i);
      }
      return i + 1;
    }

    /** The distinct options {@code prefix} abbreviates; aliases of one option count once. */
    private static List<OptionSpec> abbreviations(ProgramSpec spec, String prefix) {
      List<OptionSpec> found = new ArrayList<>();
      if (prefix.isEmpty()) {
        return found;
      }
      for (OptionSpec candidate : spec.longOptions().subMap(prefix, true, prefix + Character.MAX_VALUE, true).values()) {
        if (!found.contains(candidate)) {
          found.add(candidate);
        }
      }
      return found;
    }

    /**
     * An abbreviation of several options: the program refuses it, but if any of them is refused
     * the request is refused for that one, so that no abbreviation ever slips past a refusal.
     */
    private void ambiguous(ProgramSpec spec, String word, String name, String value, int i, List<OptionSpec> candidates) {
      for (OptionSpec candidate : candidates) {
        if (candidate.refusal() != null) {
          findings.add(new Finding(i, spec.name(), "--" + name, value, candidate.refusal()));
          return;
        }
      }
      List<String> names = candidates.stream().map(OptionSpec::name).toList();
      findings.add(new Finding(i, spec.name(), word, value, new Refusal(ViolationType.ARGUMENT_INJECTION,
          Severity.MEDIUM, "it abbreviates more than one option (" + String.join(", ", names) + ")")));
    }

    /**
     * A cluster of short options from {@code from} ({@code 1} after the dash, {@code 0} for tar's
     * old style, whose values come from the following words through {@code pending}).
     */
    private int cluster(ProgramSpec spec, String word, int from, int i, Deque<OptionSpec> pending,
                        boolean[] patternReplaced) {
      boolean reportedUnknown = false;
      for (int j = from; j < word.length(); j++) {
        char letter = word.charAt(j);
        if (spec.numericOptions() && j == from && letter >= '0' && letter <= '9') {
          return i + 1; // -5: a count
        }
        OptionSpec option = spec.shortOptions().get(letter);
        String rest = word.substring(j + 1);
        if (option == null) {
          if (!reportedUnknown && spec.refuseUnknownOptions()) {
            findings.add(new Finding(i, spec.name(), "-" + letter, null, UNKNOWN_OPTION));
          } else if (!reportedUnknown && !rest.isEmpty()) {
            // It may take the rest of the word as its value (-o/etc/x): judge that as a file.
            add(i, rest, unknownValue(spec), false);
          }
          reportedUnknown = true;
          continue;
        }
        switch (option.arity()) {
          case NONE -> option(spec, option, "-" + letter, null, i, patternReplaced);
          case OPTIONAL -> {
            option(spec, option, "-" + letter, rest.isEmpty() ? null : rest, i, patternReplaced);
            if (!rest.isEmpty()) {
              value(option, rest, i);
            }
            return i + 1;
          }
          case REQUIRED -> {
            if (pending != null) {
              option(spec, option, "-" + letter, null, i, patternReplaced);
              pending.add(option);
              continue;
            }
            if (!rest.isEmpty()) {
              option(spec, option, "-" + letter, rest, i, patternReplaced);
              value(option, rest, i);
              return i + 1;
            }
            boolean present = i + 1 < argv.size();
            option(spec, option, "-" + letter, present ? argv.get(i + 1) : null, i, patternReplaced);
            if (present) {
              value(option, argv.get(i + 1), i + 1);
            }
            return i + 2;
          }
        }
      }
      return i + 1;
    }

    /** An option was given: its refusal, if any, and whether it takes the pattern's place. */
    private void option(ProgramSpec spec, OptionSpec option, String written, String value, int i,
                        boolean[] patternReplaced) {
      if (option.refusal() != null) {
        findings.add(new Finding(i, spec.name(), written, value, option.refusal()));
      }
      if (option.replacesPattern()) {
        patternReplaced[0] = true;
      }
      changes.putAll(option.changes());
    }

    private void value(OptionSpec option, String value, int i) {
      add(i, value, option.role(), option.refusal() != null);
    }

    private void unknown(ProgramSpec spec, String written, String value, int i) {
      if (spec.refuseUnknownOptions()) {
        findings.add(new Finding(i, spec.name(), written, value, UNKNOWN_OPTION));
      } else if (value != null) {
        add(i, value, unknownValue(spec), false);
      }
    }

    /** What the value of an unknown option may be: a file, or, for a program without rules, a file it writes. */
    private static ArgumentRole unknownValue(ProgramSpec spec) {
      return spec == UNKNOWN ? ArgumentRole.OUTPUT : ArgumentRole.FILE;
    }

    private static OptionSpec fileValue(OptionSpec option) {
      return new OptionSpec(option.name(), Arity.REQUIRED, ArgumentRole.FILE, null, false, Map.of());
    }

    void add(int index, String text, ArgumentRole role, boolean refused) {
      arguments.add(new Argument(index, text, role, refused || refusedProgram));
    }

    void finding(Finding finding) {
      findings.add(finding);
    }
  }
}
