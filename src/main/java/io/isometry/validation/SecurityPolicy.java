package io.isometry.validation;

import io.isometry.config.EngineConfig;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.Severity;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validation pipeline: reads the command (parsed, or argv as given), gathers the facts about
 * it (the executable, where the working directory lands, how the program reads its arguments),
 * lets every {@link Rule} judge, and builds the plan when none objects. New policy is a new rule,
 * not a change here.
 *
 * <p>Immutable after construction and thread-safe. {@link #validate} looks at the file system
 * (the working directory, the files arguments name, the executable's mode), so it belongs off the
 * event loop.
 */
public final class SecurityPolicy {

  private static final int MAX_WORKSPACES = 4096;
  private static final Logger LOG = LoggerFactory.getLogger(SecurityPolicy.class);

  private final CommandParser parser;
  private final ExecutableResolver resolver;
  private final Workspace workspace;
  private final ServerEnvironment server;
  private final ArgumentReader reader;
  private final List<Rule> rules;
  private final long maxTimeoutMs;
  /** The owners' workspaces, one each, so that each walks its root once (see {@link Workspace}). */
  private final Map<Path, Workspace> owned = new ConcurrentHashMap<>();

  SecurityPolicy(CommandParser parser, ExecutableResolver resolver, Workspace workspace, ServerEnvironment server,
                 ArgumentReader reader, List<Rule> rules, long maxTimeoutMs) {
    this.parser = parser;
    this.resolver = resolver;
    this.workspace = workspace;
    this.server = server;
    this.reader = reader;
    this.rules = List.copyOf(rules);
    this.maxTimeoutMs = maxTimeoutMs;
  }

  /**
   * The policy {@code config} describes, with the search path it configures and the identity of
   * the user children run as on this machine. Touches the file system.
   */
  public static SecurityPolicy create(EngineConfig config) {
    return create(config, ServerEnvironment.of(config));
  }

  /**
   * The policy {@code config} describes, on the given server environment (its search path rather
   * than {@code security.searchPath}, its identity). Touches the file system (the allowlist, the
   * operator's rule files).
   *
   * @throws io.isometry.config.ConfigException when a rule file cannot be read or is malformed
   */
  public static SecurityPolicy create(EngineConfig config, ServerEnvironment server) {
    EngineConfig.Security security = config.security();
    SecurityRules rules = SecurityRulesReader.load(security.argumentRuleFiles());
    ExecutableResolver resolver = new ExecutableResolver(security.allowedCommands(), server.searchDirectories(),
        server.runAs());
    for (String command : resolver.resolved().keySet()) {
      if (rules.program(ProgramNames.baseName(command)) == null) {
        LOG.warn("Allowed command '{}' has no argument rules: its options are not understood, and every operand "
            + "and option value is judged as a file", command);
      }
    }
    return new SecurityPolicy(
        new CommandParser(security.maxCommandBytes(), security.maxArguments()),
        resolver,
        new Workspace(config.workspace()),
        server,
        new ArgumentReader(rules),
        StandardRules.of(security, rules, resolver),
        config.limits().maxTimeoutMs());
  }

  /**
   * The workspace at {@code root} (an owner's), the same one on every call. Bounded by the number of
   * owners, which the configured tokens name; past {@value #MAX_WORKSPACES} it starts again (each
   * then walks its root once more).
   */
  public Workspace workspaceAt(Path root) {
    if (owned.size() >= MAX_WORKSPACES) {
      owned.clear();
    }
    return owned.computeIfAbsent(root, Workspace::new);
  }

  /** The allowed commands this machine has: name (or absolute path) to absolute executable. */
  public Map<String, String> allowedCommands() {
    return resolver.resolved();
  }

  /**
   * Every violation of the request, or the plan to run it, judged against the workspace this policy
   * was made with (one workspace for everyone: what tests and benchmarks of the rules use).
   */
  public ValidationResult validate(SubmitRequest request) {
    return validate(request, workspace);
  }

  /**
   * Every violation of the request, or the plan to run it in {@code workspace} (its owner's).
   *
   * @throws EngineError {@code invalid_request} when the request asks for a timeout over
   *     {@code limits.maxTimeoutMs}: a bound of the server, not a security violation
   */
  public ValidationResult validate(SubmitRequest request, Workspace workspace) {
    if (request.timeoutMs() != null && request.timeoutMs() > maxTimeoutMs) {
      throw new EngineError(ErrorCode.INVALID_REQUEST, "'" + Fields.TIMEOUT_MS + "' is over the server maximum of "
          + maxTimeoutMs + " ms (limits.maxTimeoutMs)", new JsonObject().put("maxTimeoutMs", maxTimeoutMs));
    }
    ParsedCommand command = request.command() != null
        ? parser.parse(request.command())
        : parser.check(request.argv());
    List<Violation> violations = new ArrayList<>(command.violations());
    List<String> argv = command.argv();
    if (argv.isEmpty() && violations.isEmpty()) {
      violations.add(new Violation(ViolationType.INVALID_REQUEST, Severity.MEDIUM, "The command is empty",
          new JsonObject()));
    }
    Optional<String> executable = argv.isEmpty() ? Optional.empty() : resolver.resolve(argv.get(0));
    Workspace.Located located = workspace.place(request.cwd());
    ValidationInput input = new ValidationInput(request, argv, executable, located.cwd(), reader.read(argv),
        located.paths());
    for (Rule rule : rules) {
      rule.check(input, violations);
    }
    if (!violations.isEmpty()) {
      int kept = Math.min(violations.size(), CommandParser.MAX_VIOLATIONS);
      return new ValidationResult(List.copyOf(violations.subList(0, kept)), null);
    }
    return new ValidationResult(List.of(), plan(input, workspace));
  }

  /**
   * Judges a plan again just before it runs: a request may wait in the queue while the workspace
   * changes under it (a directory swapped for a symbolic link out, a file for a link to
   * {@code /etc/shadow} or into {@code .git}, an awk -f script rewritten, an executable made
   * setuid). The working directory and every file argument are canonicalised again and every rule
   * but the environment's runs on the plan's argv (the plan's environment is the server's own, built
   * from an already judged request), in the plan's own workspace (its owner's). Empty when the plan
   * may still run. Costs what a validation costs, microseconds (see docs/security.md); touches the
   * file system, so off the event loop.
   */
  public List<Violation> recheck(ExecutionPlan plan) {
    if (plan.workspace() == null) {
      return List.of(new Violation(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
          "The plan names no workspace (it was queued by an older engine): submit the command again", new JsonObject()));
    }
    Workspace workspace = workspaceAt(Path.of(plan.workspace()));
    List<String> argv = plan.argv();
    Optional<String> executable = !argv.isEmpty() && resolver.resolved().containsValue(argv.get(0))
        ? Optional.of(argv.get(0)) : Optional.empty();
    SubmitRequest request = new SubmitRequest(null, argv, plan.cwd(), Map.of(), null, null, false, null, null, false, null);
    Workspace.Located located = workspace.place(plan.cwd());
    ValidationInput input = new ValidationInput(request, argv, executable, located.cwd(), reader.read(argv),
        located.paths());
    List<Violation> violations = new ArrayList<>();
    for (Rule rule : rules) {
      if (!(rule instanceof EnvironmentRule)) {
        rule.check(input, violations);
      }
    }
    return List.copyOf(violations.subList(0, Math.min(violations.size(), CommandParser.MAX_VIOLATIONS)));
  }

  private ExecutionPlan plan(ValidationInput input, Workspace workspace) {
    // Without violations the rules have vouched for the executable and the directory; a missing
    // one here means a standard rule was dropped, which must fail loudly rather than run anything.
    List<String> argv = new ArrayList<>(input.argv());
    argv.set(0, input.executable().orElseThrow(() -> new IllegalStateException("no rule refused a disallowed command")));
    if (input.cwd().relative() == null) {
      throw new IllegalStateException("no rule refused an unusable working directory");
    }
    return new ExecutionPlan(List.copyOf(argv), input.cwd().relative(), server.childEnvironment(input.env()),
        workspace.root().toString());
  }
}
