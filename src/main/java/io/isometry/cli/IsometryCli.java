package io.isometry.cli;

import io.isometry.auth.TokenFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/isometry}: the engine from a terminal. The URL and token come from the options or
 * the environment ({@code ISOMETRY_URL}, {@code ISOMETRY_TOKEN}); for an engine on this machine
 * without a token given, the engine's own token is read from its data dir.
 */
@Command(name = "isometry", mixinStandardHelpOptions = true, versionProvider = IsometryCli.Version.class,
    description = "Run and watch commands on an Isometry engine.",
    subcommands = {RunCommand.class, PsCommand.class, NodesCommand.class, ControlCommand.Cancel.class, ControlCommand.Suspend.class,
        ControlCommand.Resume.class, LogsCommand.class, ValidateCommand.class, CommandLine.HelpCommand.class})
public final class IsometryCli {

  @Option(names = "--url", defaultValue = "${env:ISOMETRY_URL:-http://127.0.0.1:8080}",
      description = "The engine (default: $ISOMETRY_URL or ${DEFAULT-VALUE}).")
  private String url;

  @Option(names = "--token", defaultValue = "${env:ISOMETRY_TOKEN}",
      description = "The bearer token (default: $ISOMETRY_TOKEN, else the local engine's own).")
  private String token;

  @Option(names = "--data-dir", defaultValue = "${env:ISOMETRY_DATADIR:-data}",
      description = "A local engine's data dir, where its own token is kept (default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line; answers the exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new IsometryCli()).setExecutionExceptionHandler((failure, line, parsed) -> {
      if (failure instanceof CliFailure cli) {
        line.getErr().println("isometry: " + cli.getMessage());
        line.getErr().flush();
        return cli.exitCode();
      }
      throw failure;
    });
  }

  /** The client for the engine these options name. */
  EngineClient engine() {
    URI base = URI.create(url.endsWith("/") ? url : url + "/");
    return new EngineClient(base, token != null && !token.isBlank() ? token : localToken(base));
  }

  private String localToken(URI base) {
    Path file = dataDir.resolve(TokenFile.NAME);
    if (!isLoopback(base.getHost()) || !Files.isReadable(file)) {
      throw new CliFailure("no token: give --token or set ISOMETRY_TOKEN", EngineClient.FAILED);
    }
    try {
      return TokenFile.read(file);
    } catch (IOException e) {
      throw new CliFailure("cannot read " + file + ": " + e.getMessage(), EngineClient.FAILED);
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return host != null && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The version of the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"isometry " + io.isometry.contract.Version.engine()};
    }
  }
}
