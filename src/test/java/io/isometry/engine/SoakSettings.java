package io.isometry.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How big and how long {@code scripts/soak-journal --engine} is: flags ({@code --commands 2000}),
 * else environment variables ({@code SOAK_COMMANDS=2000}), else defaults that finish in a few
 * minutes on two busy cores.
 *
 * @param commands how many commands are acknowledged over the whole soak (about)
 * @param whileFull how many are sent while the disk is full (each must be answered 503, or recorded)
 * @param fullHold how long the disk stays full once the journal is degraded
 * @param deadline the whole soak's limit: past it the soak fails, saying where it was
 * @param sandbox whether each command runs in the sandbox (bubblewrap); off by default: the journal is
 *     what is soaked, and a sandbox per command costs 10-40 ms of a loaded machine's time
 */
record SoakSettings(int commands, int whileFull, Duration fullHold, Duration deadline, boolean sandbox) {

  private static final String USAGE = "scripts/soak-journal --engine [--commands N] [--while-full N] "
      + "[--full-hold-seconds S] [--deadline-seconds S] [--sandbox] (or SOAK_COMMANDS, SOAK_WHILE_FULL, "
      + "SOAK_FULL_HOLD_SECONDS, SOAK_DEADLINE_SECONDS, SOAK_SANDBOX=1)";

  static SoakSettings parse(String[] args, Map<String, String> environment) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if ("--sandbox".equals(name)) {
        flags.put("sandbox", "1");
      } else if (name.startsWith("--") && i + 1 < args.length) {
        flags.put(name.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument '" + name + "'; usage: " + USAGE);
      }
    }
    SoakSettings settings = new SoakSettings(
        number(flags, environment, "commands", 1000),
        number(flags, environment, "while-full", 100),
        Duration.ofSeconds(number(flags, environment, "full-hold-seconds", 3)),
        Duration.ofSeconds(number(flags, environment, "deadline-seconds", 420)),
        number(flags, environment, "sandbox", 0) != 0);
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException("unknown flag(s) " + flags.keySet() + "; usage: " + USAGE);
    }
    if (settings.commands < 100 || settings.whileFull < 1) {
      throw new IllegalArgumentException("--commands must be at least 100 and --while-full at least 1; usage: " + USAGE);
    }
    return settings;
  }

  private static int number(Map<String, String> flags, Map<String, String> environment, String name, int otherwise) {
    String value = flags.remove(name);
    if (value == null) {
      value = environment.get("SOAK_" + name.toUpperCase().replace('-', '_'));
    }
    try {
      return value == null ? otherwise : Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + name + "' must be a whole number, not '" + value + "'; usage: " + USAGE);
    }
  }
}
