package io.isometry.validation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The policy's knowledge as data ({@code conf/security/argument-rules.json}, embedded in the jar,
 * then the operator's files in {@code security.argumentRuleFiles}): which programs escalate
 * privileges, how each program reads its arguments, which environment variables are dangerous,
 * what a secret looks like. Immutable.
 *
 * @param privilegedPrograms names refused as {@code privilege_escalation} whatever the allowlist says
 * @param programs how each known program reads its command line, by name
 * @param gitConfigKeys git configuration keys that run programs or rewrite URLs, lower case,
 *     {@code *} standing for one or more characters: refused even when allowed (a second check)
 * @param gitConfigAllowed the git configuration keys a request may set, in the same notation
 * @param refusedEnvironmentNames variables that change how programs load code or read configuration
 * @param refusedEnvironmentPrefixes the same, by prefix ({@code LD_}, {@code GIT_})
 * @param secretNameParts a variable whose name (upper case, without {@code _} and {@code -}) holds
 *     one of these is taken for a secret
 * @param secretValues what secrets look like, by kind ({@code aws-access-key})
 */
record SecurityRules(
    Set<String> privilegedPrograms,
    Map<String, ProgramSpec> programs,
    List<Pattern> gitConfigKeys,
    List<Pattern> gitConfigAllowed,
    Set<String> refusedEnvironmentNames,
    List<String> refusedEnvironmentPrefixes,
    List<String> secretNameParts,
    Map<String, Pattern> secretValues) {

  /** The rules of a program, or null when there are none. */
  ProgramSpec program(String name) {
    return programs.get(name);
  }
}
