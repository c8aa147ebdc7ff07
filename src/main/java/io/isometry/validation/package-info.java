/**
 * The security policy: every request is validated here before anything runs.
 *
 * <p>The pipeline ({@link io.isometry.validation.SecurityPolicy}) reads the command, gathers the
 * facts about it and lets each {@link io.isometry.validation.Rule} judge them; a request is
 * allowed only when no rule objects, and then it comes with an
 * {@link io.isometry.validation.ExecutionPlan}: what exactly will run, where, with which
 * environment. New policy is a new rule in {@link io.isometry.validation.StandardRules}.
 *
 * <p>The policy's knowledge is data ({@code conf/security/argument-rules.json}, read by
 * {@link io.isometry.validation.SecurityRulesReader}): privileged programs, each program's option
 * table, dangerous environment names, what secrets look like. The rules and the reasons behind
 * them are documented for operators in {@code docs/security.md}.
 *
 * <p>Decisions a client can observe:
 * <ul>
 *   <li>A {@code command} is split with POSIX sh quoting and never given to a shell; anything sh
 *       would interpret beyond quoting (operators, expansions, comments) is refused, not
 *       emulated. Globs and {@code ~} reach the program literally.</li>
 *   <li>argv[0] is an allowed bare name, resolved on the configured search path
 *       ({@code security.searchPath}), or exactly an allowed absolute path. Neither the client's
 *       PATH nor the engine's own plays a part. When children run as another user, a command that
 *       user cannot execute is refused with the reason.</li>
 *   <li>The working directory is relative to the workspace root; the plan names it by its real
 *       path relative to the real root, so the directory that runs is the one that was checked.</li>
 *   <li>argv is read the way its program reads it ({@link io.isometry.validation.ArgumentReader}:
 *       clusters, GNU abbreviations, {@code --}), so every word has a role; words that name files
 *       are canonicalised in the workspace ({@link io.isometry.validation.PathJudge}), languages
 *       inside arguments are parsed ({@link io.isometry.validation.AwkProgram},
 *       {@link io.isometry.validation.SedScript}), and what the rules cannot read is refused.</li>
 *   <li>The child's environment is built from scratch: PATH is the configured search path; HOME,
 *       USER and LOGNAME are those of the user it runs as ({@code runAs}), or the engine's HOME and
 *       USER when it runs as the engine; plus the request's variables whose names start with
 *       {@code security.envPrefix} and that are neither dangerous nor secret.</li>
 * </ul>
 */
package io.isometry.validation;
