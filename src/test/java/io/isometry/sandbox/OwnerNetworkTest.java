package io.isometry.sandbox;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Stream;
import io.isometry.engine.EngineVerticle;
import io.isometry.os.Identity;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.isometry.testing.UnifiedCgroups;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each owner's children share one network namespace (loopback only), never another owner's and never
 * the host's: alice's second process reaches her first one's listeners on 127.0.0.1 and on an abstract
 * unix socket, and cannot reach bob's, nor the engine's port on the host's loopback.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class OwnerNetworkTest {

  /** Listens on 127.0.0.1 (any port) and on an abstract socket, writes the port, then waits to be cancelled. */
  private static final String LISTEN = """
      import os, socket, sys, time
      tcp = socket.socket()
      tcp.bind(('127.0.0.1', 0))
      tcp.listen(8)
      abstract = socket.socket(socket.AF_UNIX)
      abstract.bind('\\0' + sys.argv[1])
      abstract.listen(8)
      with open('port.tmp', 'w') as f:
          f.write(str(tcp.getsockname()[1]))
      os.rename('port.tmp', 'port')
      time.sleep(60)
      """;

  /** Tries each 127.0.0.1 port and abstract socket it is given; prints what it found, as JSON. */
  private static final String CONNECT = """
      import errno, json, socket, sys
      args = json.loads(sys.argv[1])
      found = {}
      def attempt(name, family, address):
          s = socket.socket(family)
          s.settimeout(2)
          try:
              s.connect(address)
              found[name] = 'open'
          except OSError as e:
              found[name] = 'blocked (' + (errno.errorcode.get(e.errno) or str(e)) + ')'
          finally:
              s.close()
      for name, port in args['tcp'].items():
          attempt(name, socket.AF_INET, ('127.0.0.1', port))
      for name, path in args['abstract'].items():
          attempt(name, socket.AF_UNIX, '\\0' + path)
      print(json.dumps(found))
      """;

  @TempDir
  Path root;

  @Test
  void anOwnersProcessesShareALoopbackThatNoOtherOwnerNorTheHostReaches(Vertx vertx) throws Exception {
    assumeTrue(Identity.engineIsRoot(), "only a root engine keeps a network namespace per owner");
    JsonObject config = EngineFixture.config(root, new JsonObject().put("runAs", "nobody"));
    EngineVerticle engine = result(EngineFixture.deploy(vertx, config));
    IsometryClient alice = IsometryClient.trusted(vertx, "alice");
    IsometryClient bob = IsometryClient.trusted(vertx, "bob");
    EventLog events = result(EventLog.attach(alice));
    assertThat(capabilitiesLoopback(vertx)).isEqualTo("owner");
    EngineFixture.script(config, "alice", "listen.py", LISTEN);
    EngineFixture.script(config, "bob", "listen.py", LISTEN);
    EngineFixture.script(config, "alice", "connect.py", CONNECT);

    ProcessSnapshot alicesListener = result(alice.submit(Submission.of("python3 listen.py isometry-alice")));
    ProcessSnapshot bobsListener = result(bob.submit(Submission.of("python3 listen.py isometry-bob")));
    int alicesPort = awaitPort(EngineFixture.workspace(config, "alice"));
    int bobsPort = awaitPort(EngineFixture.workspace(config, "bob"));
    assumeTrue(alicesPort != bobsPort, "both listeners drew the same port; run again");
    JsonObject targets = new JsonObject()
        .put("tcp", new JsonObject().put("alice's port", alicesPort).put("bob's port", bobsPort)
            .put("the engine's port", engine.httpPort()))
        .put("abstract", new JsonObject().put("alice's socket", "isometry-alice").put("bob's socket", "isometry-bob"));
    ProcessSnapshot probe = result(alice.submit(Submission.argv(List.of("python3", "connect.py", targets.encode()))));
    ProcessSnapshot done = events.awaitTerminal(probe.id(), 30_000);

    assertThat(done.state()).as(result(alice.output(done.id(), Stream.STDERR))).isEqualTo(ProcessState.SUCCEEDED);
    JsonObject found = new JsonObject(result(alice.output(done.id(), Stream.STDOUT)).trim());
    assertThat(found.getString("alice's port")).as("her own other process, on 127.0.0.1").isEqualTo("open");
    assertThat(found.getString("alice's socket")).as("her own other process, abstract socket").isEqualTo("open");
    assertThat(found.getString("bob's port")).as("bob's listener on 127.0.0.1").startsWith("blocked");
    assertThat(found.getString("bob's socket")).as("bob's abstract socket").startsWith("blocked");
    assertThat(found.getString("the engine's port")).as("the host's loopback").startsWith("blocked");
    result(alice.cancel(alicesListener.id()));
    result(bob.cancel(bobsListener.id()));
  }

  private static String capabilitiesLoopback(Vertx vertx) throws Exception {
    return UnifiedCgroups.capabilities(vertx).getJsonObject("sandbox").getString("loopback");
  }

  private static int awaitPort(Path workspace) throws Exception {
    Path port = workspace.resolve("port");
    for (int i = 0; i < 400 && !Files.exists(port); i++) {
      Thread.sleep(25);
    }
    return Integer.parseInt(Files.readString(port).trim());
  }
}
