package io.isometry.http;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.contract.ErrorCode;
import io.isometry.testing.EngineFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/openapi.yaml against the engine: every route the REST API mounts is documented, and every
 * documented operation, called on a real engine, answers with one of the statuses documented for it
 * (never the router's 404 or 405), its JSON with the fields the description calls required.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class OpenApiTest {

  private static final Path SPEC = Path.of("docs/openapi.yaml");
  private static final String SUBMIT_BODY = "{\"command\": \"echo openapi\"}";

  @TempDir
  Path root;

  @Test
  void everyRouteOfTheRestApiIsDocumented(Vertx vertx) throws IOException {
    Router router = Router.router(vertx);
    new RestApi(new EngineRequests(vertx.eventBus()), new SubmitLimiter(1, 1, System::nanoTime), new JsonObject())
        .mount(router);
    Set<String> routes = router.getRoutes().stream()
        .flatMap(route -> route.methods().stream()
            .map(method -> method.name() + " " + route.getPath().replaceAll(":(\\w+)", "{$1}")))
        .collect(Collectors.toSet());
    assertThat(routes).hasSizeGreaterThan(10);
    assertThat(operations().stream().map(Operation::name).toList()).containsAll(routes);
  }

  @Test
  void everyDocumentedOperationAnswersWithADocumentedStatusAndItsRequiredFields(Vertx vertx) throws Exception {
    JsonObject config = EngineFixture.config(root, new JsonObject().put("auth", Tokens.auth()));
    int port = result(EngineFixture.deploy(vertx, config)).httpPort();
    RestCalls admin = new RestCalls(port, Tokens.ADMIN);
    String id = admin.post("/api/v1/processes", new JsonObject().put("command", "sleep 30")).json().getString("id");

    for (Operation operation : operations()) {
      String path = operation.path().replace("{id}", id) + operation.query();
      RestCalls caller = operation.needsToken() ? admin : admin.as(null);
      RestCalls.Reply reply = caller.send(operation.method(), path, operation.hasBody() ? SUBMIT_BODY : null);
      assertThat(reply.status()).as(operation.name() + ": " + reply.body()).isNotIn(404, 405)
          .matches(status -> operation.responses().containsKey(String.valueOf(status)),
              "documented: " + operation.responses().keySet());
      List<String> required = operation.required(reply.status());
      if (!required.isEmpty()) {
        assertThat(reply.json().fieldNames()).as(operation.name()).containsAll(required);
      }
    }
  }

  @Test
  void theDocumentedErrorCodesAreTheContracts() throws IOException {
    Map<String, Object> error = map(map(map(spec(), "components"), "schemas"), "Error");
    @SuppressWarnings("unchecked")
    List<String> codes = (List<String>) map(map(error, "properties"), "error").get("enum");
    assertThat(codes).containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
  }

  /** One operation of the description, with what calling it takes. */
  private record Operation(HttpMethod method, String path, Map<String, Object> spec, Map<String, Object> components) {

    String name() {
      return method.name() + " " + path;
    }

    boolean needsToken() {
      return !(spec.get("security") instanceof List<?> none && none.isEmpty());
    }

    boolean hasBody() {
      return spec.containsKey("requestBody");
    }

    /** The required query parameters, with a value they accept. */
    String query() {
      Object parameters = spec.get("parameters");
      if (!(parameters instanceof List<?> list)) {
        return "";
      }
      String query = list.stream().map(OpenApiTest::mapOf)
          .filter(parameter -> Boolean.TRUE.equals(parameter.get("required")) && "query".equals(parameter.get("in")))
          .map(parameter -> parameter.get("name") + "=" + ((List<?>) mapOf(parameter.get("schema")).get("enum")).get(0))
          .collect(Collectors.joining("&"));
      return query.isEmpty() ? "" : "?" + query;
    }

    Map<String, Object> responses() {
      return mapOf(spec.get("responses"));
    }

    /** The fields a JSON answer with {@code status} must have. */
    List<String> required(int status) {
      Map<String, Object> response = resolve(mapOf(responses().get(String.valueOf(status))));
      Object content = response.get("content");
      if (content == null || !mapOf(content).containsKey("application/json")) {
        return List.of();
      }
      Map<String, Object> schema = resolve(mapOf(mapOf(mapOf(content).get("application/json")).get("schema")));
      Object required = schema.get("required");
      return required == null ? List.of() : ((List<?>) required).stream().map(String::valueOf).toList();
    }

    private Map<String, Object> resolve(Map<String, Object> node) {
      Object ref = node.get("$ref");
      if (ref == null) {
        return node;
      }
      String[] parts = ((String) ref).substring("#/components/".length()).split("/");
      return resolve(mapOf(mapOf(components.get(parts[0])).get(parts[1])));
    }
  }

  private static List<Operation> operations() throws IOException {
    Map<String, Object> spec = spec();
    List<Operation> operations = new ArrayList<>();
    map(spec, "paths").forEach((path, item) -> mapOf(item).forEach((key, operation) -> {
      if (!key.equals("parameters")) {
        operations.add(new Operation(HttpMethod.valueOf(key.toUpperCase(Locale.ROOT)), path, mapOf(operation),
            map(spec, "components")));
      }
    }));
    return operations;
  }

  private static Map<String, Object> spec() throws IOException {
    return new Yaml().load(Files.readString(SPEC));
  }

  private static Map<String, Object> map(Map<String, Object> node, String key) {
    return mapOf(node.get(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapOf(Object node) {
    return (Map<String, Object>) node;
  }
}
