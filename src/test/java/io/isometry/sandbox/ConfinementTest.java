package io.isometry.sandbox;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.engine.EngineVerticle;
import io.isometry.os.Identity;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EngineRest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walls of the sandbox, shown by code that has got past the validator: a python3 script in
 * alice's workspace (which an operator may run) tries everything the red team did, against a real
 * engine with two operators in its default configuration (children as nobody, sandbox on). Every
 * attempt must fail; the script reports each as {@code blocked} or {@code OPEN}, with what it saw.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class ConfinementTest {

  private static final String ALICE = "confinement-alice-token-0123456789";
  private static final String BOB = "confinement-bob-token-0123456789ab";

  private static final String PROBE = """
      import errno, json, os, socket, sys
      args = json.loads(sys.argv[1])
      found = {}
      def attempt(name, action):
          try:
              seen = action()
              found[name] = 'OPEN: ' + repr(seen)[:200]
          except OSError as e:
              found[name] = 'blocked (' + (errno.errorcode.get(e.errno) or str(e)) + ')'
      def read(path):
          with open(path) as f:
              return f.read()
      def write(path):
          with open(path, 'w') as f:
              f.write('planted')
          return path
      def connect(port):
          s = socket.create_connection(('127.0.0.1', port), timeout=2)
          s.close()
          return port
      def listdir(path):
          return os.listdir(path)
      def append(path):
          with open(path, 'a') as f:
              f.write('planted:x:0:0::/:/bin/sh')
          return path
      for name, path in args['secrets'].items():
          attempt('read ' + name, lambda p=path: read(p))
      attempt('see bob in /proc', lambda: read('/proc/%d/environ' % args['bobPid']))
      attempt('signal bob', lambda: os.kill(args['bobPid'], 0))
      attempt('stop bob', lambda: os.kill(args['bobPid'], 19))
      attempt('connect to the http port', lambda: connect(args['httpPort']))
      attempt('connect to the tcp bridge', lambda: connect(args['bridgePort']))
      for name, path in args['writes'].items():
          attempt('write ' + name, lambda p=path: write(p))
      attempt('append to /etc/passwd', lambda: append('/etc/passwd'))
      attempt('make /etc writable', lambda: os.chmod('/etc', 0o777))
      attempt('list the host private keys', lambda: listdir('/etc/ssl/private'))
      mine = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
      found['own processes'] = mine
      found['owners seen'] = sorted(os.listdir(args['workspaceRoot']))
      with open('/tmp/' + args['marker'], 'w') as f:
          f.write('private')
      with open('/dev/shm/' + args['marker'], 'w') as f:
          f.write('private')
      print(json.dumps(found))
      """;

  @TempDir
  Path root;
  private Vertx vertx;
  private JsonObject config;
  private EngineVerticle engine;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Identity.engineIsRoot(), "the walls are shown for a root engine whose children run as nobody");
    vertx = Vertx.vertx();
    config = EngineFixture.config(root, new JsonObject()
        .put("runAs", "nobody")
        .put("sandbox", new JsonObject().put("mode", "required"))
        .put("security", new JsonObject().put("allowedCommands", new JsonArray().add("/usr/bin/python3").add("sleep")))
        .put("auth", new JsonObject().put("tokens", new JsonArray()
            .add(new JsonObject().put("token", ALICE).put("principal", "alice").put("role", "operator"))
            .add(new JsonObject().put("token", BOB).put("principal", "bob").put("role", "operator")))));
    engine = result(EngineFixture.deploy(vertx, config));
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      result(vertx.close());
    }
  }

  @Test
  void codeThatGotPastTheValidatorMeetsEveryWall() throws Exception {
    String marker = "isometry-probe-" + UUID.randomUUID();
    Path hostTmpSecret = Files.createTempFile("isometry-host-secret", ".txt");
    Files.writeString(hostTmpSecret, "host secret");
    Files.setPosixFilePermissions(hostTmpSecret, PosixFilePermissions.fromString("rw-r--r--"));
    Path configFile = root.resolve("isometry.json");
    Files.writeString(configFile, config.encode());
    Files.setPosixFilePermissions(configFile, PosixFilePermissions.fromString("rw-r--r--"));
    Path dataSecret = Files.writeString(Files.createDirectories(root.resolve("data")).resolve("visible.txt"), "data");
    Files.setPosixFilePermissions(dataSecret, PosixFilePermissions.fromString("rw-r--r--"));
    Path bobs = EngineFixture.workspace(config, "bob");
    Files.writeString(bobs.resolve("notes.txt"), "bob's notes");
    Files.setPosixFilePermissions(bobs.resolve("notes.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    Path alices = EngineFixture.workspace(config, "alice");
    Files.writeString(alices.resolve("probe.py"), PROBE);
    int bridgePort = capabilities(ALICE).getInteger("tcpBridgePort");
    JsonObject bob = submit(BOB, new JsonObject().put("command", "sleep 60"));
    long bobPid = awaitRunning(BOB, bob.getString("id")).getLong("pid");
    try {
      JsonObject args = new JsonObject()
          .put("me", "alice")
          .put("workspaceRoot", alices.getParent().toString())
          .put("bobPid", bobPid)
          .put("httpPort", engine.httpPort())
          .put("bridgePort", bridgePort)
          .put("marker", marker)
          .put("secrets", new JsonObject()
              .put("a file in the host's /tmp", hostTmpSecret.toString())
              .put("the engine's config", configFile.toString())
              .put("the engine's data dir", dataSecret.toString())
              .put("another owner's workspace", bobs.resolve("notes.txt").toString())
              .put("the host's shadow file", "/etc/shadow"))
          .put("writes", new JsonObject()
              .put("the host's /usr", "/usr/" + marker)
              .put("the host's /etc", "/etc/" + marker)
              .put("the workspace root", alices.getParent().resolve(marker).toString())
              .put("another owner's workspace", bobs.resolve(marker).toString())
              .put("the engine's data dir", root.resolve("data").resolve(marker).toString()));

      JsonObject run = submit(ALICE, new JsonObject().put("argv", new JsonArray().add("/usr/bin/python3").add("probe.py")
          .add(args.encode())));
      JsonObject done = awaitEnd(ALICE, run.getString("id"));

      String stdout = output(ALICE, run.getString("id"), "stdout");
      assertThat(done.getString("state")).as(output(ALICE, run.getString("id"), "stderr")).isEqualTo("succeeded");
      JsonObject found = new JsonObject(stdout.trim());
      for (String attempt : found.fieldNames()) {
        // The test's workspace lies under /tmp: in the sandbox the way to it crosses the private /tmp,
        // where a write lands in the sandbox's own memory (checked below: not on the host).
        boolean privateWay = attempt.equals("write the workspace root") && alices.startsWith("/tmp");
        if (!attempt.equals("own processes") && !attempt.equals("owners seen") && !privateWay) {
          assertThat(found.getString(attempt)).as(attempt).startsWith("blocked");
        }
      }
      for (String target : args.getJsonObject("writes").fieldNames()) {
        assertThat(Path.of(args.getJsonObject("writes").getString(target))).as("on the host: " + target).doesNotExist();
      }
      assertThat(found.getJsonArray("own processes").getList()).as("only its own sandbox's processes")
          .containsExactly(1, 2);
      assertThat(found.getJsonArray("owners seen").getList()).as("no other owner's workspace").contains("alice")
          .doesNotContain("bob");
      assertThat(root.resolve("data").resolve(marker)).doesNotExist();
      assertThat(Path.of("/tmp", marker)).as("the sandbox's /tmp is its own").doesNotExist();
      assertThat(Path.of("/dev/shm", marker)).as("the sandbox's /dev/shm is its own").doesNotExist();
      assertThat(Files.readString(bobs.resolve("notes.txt"))).isEqualTo("bob's notes");
      assertThat(awaitRunning(BOB, bob.getString("id")).getString("state")).as("bob's process was not touched")
          .isEqualTo("running");
    } finally {
      Files.deleteIfExists(hostTmpSecret);
    }
  }

  @Test
  void capabilitiesStateTheSandboxAndTheCallersOwnWorkspace() throws Exception {
    JsonObject capabilities = capabilities(ALICE);

    JsonObject sandbox = capabilities.getJsonObject("sandbox");
    assertThat(sandbox.getString("mode")).isEqualTo("required");
    assertThat(sandbox.getBoolean("enabled")).isTrue();
    assertThat(sandbox.getString("tool")).isEqualTo("bubblewrap");
    assertThat(sandbox.getString("version")).isNotBlank();
    assertThat(sandbox.getJsonArray("namespaces").getList())
        .containsExactlyInAnyOrder("user", "mount", "pid", "ipc", "uts", "cgroup", "network");
    assertThat(sandbox.getString("network")).isEqualTo("none");
    assertThat(capabilities.getJsonObject("principal").getString("name")).isEqualTo("alice");
    assertThat(capabilities.getJsonObject("principal").getString("workspace"))
        .isEqualTo(Path.of(config.getString("workspace")).toAbsolutePath().resolve("alice").toString());
    // Made at start for every principal the configuration names: there before its first command.
    Path alices = Path.of(capabilities.getJsonObject("principal").getString("workspace"));
    assertThat(Files.getPosixFilePermissions(alices)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getOwner(alices).getName()).isEqualTo("nobody");
  }

  private JsonObject capabilities(String token) throws Exception {
    return new JsonObject(send(token, HttpRequest.newBuilder(uri("/api/v1/capabilities")).GET(), 200));
  }

  private JsonObject submit(String token, JsonObject body) throws Exception {
    return new JsonObject(send(token, HttpRequest.newBuilder(uri("/api/v1/processes"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())), 202));
  }

  private String output(String token, String id, String stream) throws Exception {
    return send(token, HttpRequest.newBuilder(uri("/api/v1/processes/" + id + "/output?stream=" + stream)).GET(), 200);
  }

  private JsonObject awaitRunning(String token, String id) throws Exception {
    return await(token, id, Set.of("running"));
  }

  private JsonObject awaitEnd(String token, String id) throws Exception {
    return await(token, id, EngineRest.TERMINAL_STATES);
  }

  private JsonObject await(String token, String id, Set<String> states) throws Exception {
    JsonObject record = null;
    for (int i = 0; i < 800; i++) {
      record = new JsonObject(send(token, HttpRequest.newBuilder(uri("/api/v1/processes/" + id)).GET(), 200));
      if (states.contains(record.getString("state"))) {
        return record;
      }
      Thread.sleep(25);
    }
    throw new AssertionError(id + " never reached " + states + ": " + record);
  }

  private String send(String token, HttpRequest.Builder request, int status) throws Exception {
    HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response.body();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + engine.httpPort() + path);
  }
}
