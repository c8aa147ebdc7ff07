package io.isometry.validation;

import java.util.Locale;

/**
 * What a word of a command line is to its program, and so how the policy judges it. Every role
 * has a name in the argument rules ({@code conf/security/argument-rules.json}).
 */
enum Role {
  /** A file or directory: resolved in the workspace and judged ({@link PathJudge}). */
  FILE,
  /** Data the program never opens: a pattern, a message, a number, a format. Not judged. */
  TEXT,
  /** A file mode ({@code 755}, {@code u+s}): refused when it sets the setuid or setgid bit. */
  MODE,
  /** An owner or group ({@code root:wheel}): refused when it hands a file to a privileged account. */
  OWNER,
  /** An awk program: judged for {@code system()}, pipes, {@code getline} and redirections. */
  AWK,
  /** A sed script: judged for {@code e}, {@code s///e} and the files {@code r}/{@code w} name. */
  SED,
  /** A program to run: refused, since the allowlist would never see it. */
  COMMAND,
  /** A git repository URL: {@code ext::} and {@code fd::} run commands; local paths are judged. */
  GIT_URL,
  /** A git configuration key or value of {@code git config}: refused for keys that run programs. */
  GIT_CONFIG,
  /** A tar archive: a file, unless it names a host ({@code host:file}), which runs a remote shell. */
  ARCHIVE,
  /** A backup suffix: judged as a path when it holds a slash ({@code --suffix=/../x}). */
  SUFFIX,
  /** A date operand: {@code +FORMAT} prints; anything else sets the system clock. */
  DATE;

  /** The role called {@code name} in the rules ({@code file}, {@code gitUrl}, ...), or null. */
  static Role fromName(String name) {
    for (Role role : values()) {
      if (role.ruleName().equals(name)) {
        return role;
      }
    }
    return null;
  }

  String ruleName() {
    String[] words = name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder camel = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      camel.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return camel.toString();
  }
}
