package io.isometry.testing;

import io.vertx.core.json.JsonArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine as a process of its own ({@code Main} on this JVM's classpath, configured through
 * {@code ISOMETRY_*} variables), for tests that kill it: SIGKILL leaves no shutdown hook a chance.
 */
public final class EngineProcess implements AutoCloseable {

  /** Main's line once every part has started (and its shutdown line will follow a SIGTERM). */
  private static final Pattern LISTENING = Pattern.compile("ready: http://[^:]+:(\\d+)/api/v1");
  private final Process process;
  private final Thread reader;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final StringBuilder log = new StringBuilder();

  private EngineProcess(Process process) {
    this.process = process;
    reader = new Thread(this::readLog, "engine-process-log");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The settings every test's engine process starts from: its workspace in {@code home} (which is
   * made reachable to children, as JUnit's private temporary directories are not), its data in
   * {@code data}, children as root, and {@code tokens} ({token, principal, role} objects). A test
   * adds its own to the map.
   */
  public static Map<String, String> environment(Path home, Path data, JsonArray tokens) throws IOException {
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> environment = new HashMap<>();
    environment.put("ISOMETRY_WORKSPACE", Files.createDirectories(home.resolve("workspace")).toString());
    environment.put("ISOMETRY_DATADIR", data.toString());
    environment.put("ISOMETRY_RUNAS", "root");
    environment.put("ISOMETRY_AUTH_TOKENS", tokens.encode());
    return environment;
  }

  /** Starts the engine with these configuration overrides ({@code ISOMETRY_HTTP_PORT=0} is added). */
  public static EngineProcess start(Map<String, String> environment) throws IOException {
    return start(environment, Path.of("").toAbsolutePath(), List.of());
  }

  /** The same, started in {@code directory}. */
  public static EngineProcess start(Map<String, String> environment, Path directory) throws IOException {
    return start(environment, directory, List.of());
  }

  /** The same, with system properties for the engine's JVM ({@code -Dname=value}: test hooks). */
  public static EngineProcess start(Map<String, String> environment, List<String> properties) throws IOException {
    return start(environment, Path.of("").toAbsolutePath(), properties);
  }

  /**
   * Starts {@code java <jvmOptions> -jar <jar>} as an operator does, with these overrides: the JVM's
   * own defaults unless {@code jvmOptions} says otherwise.
   */
  public static EngineProcess fromJar(Path jar, List<String> jvmOptions, Map<String, String> environment)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    return start(command, environment, Path.of("").toAbsolutePath());
  }

  private static EngineProcess start(Map<String, String> environment, Path directory, List<String> properties)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m"));
    command.addAll(properties);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.isometry.engine.Main"));
    return start(command, environment, directory);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static EngineProcess start(List<String> command, Map<String, String> environment, Path directory)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(directory.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("ISOMETRY_"));
    builder.environment().put("ISOMETRY_HTTP_PORT", "0");
    builder.environment().put("ISOMETRY_HTTP_TCPBRIDGEPORT", "-1");
    builder.environment().putAll(environment);
    return new EngineProcess(builder.start());
  }

  /** The port it listens on, once it does. */
  public int port() throws Exception {
    try {
      return port.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the engine did not start; its log:\n" + log(), e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public synchronized String log() {
    return log.toString();
  }

  /** Waits until a line of its log matches {@code pattern}; answers the match. */
  public Matcher awaitLog(Pattern pattern) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Matcher matcher = pattern.matcher(log());
      if (matcher.find()) {
        return matcher;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no line of the log matches " + pattern + "; its log:\n" + log());
  }

  /** Waits for it to end by itself (a start it refused) and answers its exit code; its log is then whole. */
  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the engine is still running; its log:\n" + log());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  /** SIGKILL, and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM (a clean stop: the shutdown hook runs), and waits until it is gone. Through the handle:
   * {@code Process.destroy()} also closes our end of its output, and what the hook logs would be lost.
   */
  public int stop() throws InterruptedException {
    process.toHandle().destroy();
    process.waitFor(60, TimeUnit.SECONDS);
    return process.exitValue();
  }

  private void readLog() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (this) {
          log.append(line).append('\n');
        }
        Matcher matcher = LISTENING.matcher(line);
        if (matcher.find()) {
          port.complete(Integer.parseInt(matcher.group(1)));
        }
      }
    } catch (IOException ended) {
      // The engine is gone; what it wrote is in the log.
    }
    port.completeExceptionally(new IllegalStateException("the engine ended"));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
