package io.isometry.validation;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Severity;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validation pipeline: reads the command (parsed, or argv as given), gathers the facts about
 * it (the executable, where the working directory lands), lets every {@link Rule} judge, and
 * builds the plan when none objects. New policy is a new rule, not a change here.
 *
 * <p>Immutable after construction and thread-safe. {@link #validate} looks at the file system
 * (the working directory), so it belongs off the event loop.
 */
public final class SecurityPolicy {

  private final CommandParser parser;
  private final ExecutableResolver resolver;
  private final Workspace workspace;
  private final ServerEnvironment server;
  private final List<Rule> rules;

  public SecurityPolicy(CommandParser parser, ExecutableResolver resolver, Workspace workspace,
                        ServerEnvironment server, List<Rule> rules) {
    this.parser = parser;
    this.resolver = resolver;
    this.workspace = workspace;
    this.server = server;
    this.rules = List.copyOf(rules);
  }

  /** The policy {@code config} describes, on the engine's own environment. Touches the file system. */
  public static SecurityPolicy create(EngineConfig config) {
    return create(config, ServerEnvironment.current());
  }

  /** The policy {@code config} describes, on the given server environment. Touches the file system. */
  public static SecurityPolicy create(EngineConfig config, ServerEnvironment server) {
    EngineConfig.Security security = config.security();
    return new SecurityPolicy(
        new CommandParser(security.maxCommandBytes()),
        new ExecutableResolver(security.allowedCommands(), server.searchDirectories()),
        new Workspace(config.workspace()),
        server,
        StandardRules.of(security));
  }

  /** The allowed commands this machine has: name (or absolute path) to absolute executable. */
  public Map<String, String> allowedCommands() {
    return resolver.resolved();
  }

  /** Every violation of the request, or the plan to run it. */
  public ValidationResult validate(SubmitRequest request) {
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
    ValidationInput input = new ValidationInput(request, argv, executable, workspace.locate(request.cwd()));
    for (Rule rule : rules) {
      rule.check(input, violations);
    }
    if (!violations.isEmpty()) {
      return new ValidationResult(List.copyOf(violations), null);
    }
    return new ValidationResult(List.of(), plan(input));
  }

  private ExecutionPlan plan(ValidationInput input) {
    // Without violations the rules have vouched for the executable and the directory; a missing
    // one here means a standard rule was dropped, which must fail loudly rather than run anything.
    List<String> argv = new ArrayList<>(input.argv());
    argv.set(0, input.executable().orElseThrow(() -> new IllegalStateException("no rule refused a disallowed command")));
    if (input.cwd().relative() == null) {
      throw new IllegalStateException("no rule refused an unusable working directory");
    }
    return new ExecutionPlan(List.copyOf(argv), input.cwd().relative(), server.childEnvironment(input.env()));
  }
}
