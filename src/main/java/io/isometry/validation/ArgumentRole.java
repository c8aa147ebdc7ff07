package io.isometry.validation;

import java.util.Locale;

/**
 * What a word of a command line is to its program, and so how the policy judges it. Every role
 * has a name in the argument rules ({@code conf/security/argument-rules.json}).
 */
enum ArgumentRole {
  /** A file or directory: resolved in the workspace and judged ({@link PathJudge}). */
  FILE,
  /**
   * A file the program creates, writes, renames, removes or changes the mode of: judged as a file,
   * then refused under a {@code .git} directory or when a name on its way starts with {@code -}
   * ({@link WriteRule}).
   */
  OUTPUT,
  /** A file read whose name a copy takes (cp and ln sources): a file, refused when its name starts with {@code -}. */
  COPIED,
  /** Data the program never opens: a pattern, a message, a number, a format. Not judged. */
  TEXT,
  /** A file mode ({@code 755}, {@code u+s}): refused when it sets the setuid or setgid bit. */
  MODE,
  /** An owner or group ({@code root:wheel}): refused when it hands a file to a privileged account. */
  OWNER,
  /** An awk program: judged for {@code system()}, pipes, {@code getline} and redirections. */
  AWK,
  /** A file of awk code ({@code -f}): judged as a file, then read and judged as a program. */
  AWK_FILE,
  /** {@code -v name=value}: refused when it sets ARGV, ARGC, ENVIRON or FILENAME. */
  AWK_ASSIGNMENT,
  /** An operand of awk: a file it reads, or an assignment ({@code name=value}) judged as {@code -v}. */
  AWK_OPERAND,
  /** A sed script: judged for {@code e}, {@code s///e} and the files {@code r}/{@code w} name. */
  SED,
  /** A file of sed commands ({@code -f}): judged as a file, then read and judged as a script. */
  SED_FILE,
  /** A list of checksums and file names ({@code md5sum -c}): judged as a file, then every name in it. */
  CHECKSUMS,
  /** A program to run: refused, since the allowlist would never see it. */
  COMMAND,
  /** A git repository URL: {@code ext::} and {@code fd::} run commands; local paths are judged. */
  GIT_URL,
  /** A git configuration key that {@code git config} sets: refused unless the allowlist has it. */
  GIT_CONFIG,
  /** {@code key=value} of {@code git -c} and {@code clone --config}: the key judged as {@link #GIT_CONFIG}. */
  GIT_CONFIG_ASSIGNMENT,
  /** A tar archive: a file, unless it names a host ({@code host:file}), which runs a remote shell. */
  ARCHIVE,
  /**
   * A tar archive being extracted: judged as {@link #ARCHIVE}, then its member names are read and
   * judged as files written ({@link TarMembers}).
   */
  EXTRACTED_ARCHIVE,
  /** A backup suffix: judged as a path when it holds a slash ({@code --suffix=/../x}). */
  SUFFIX,
  /** A date operand: {@code +FORMAT} prints; anything else sets the system clock. */
  DATE;

  /** The role called {@code name} in the rules ({@code file}, {@code gitUrl}, ...), or null. */
  static ArgumentRole fromName(String name) {
    for (ArgumentRole role : values()) {
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
