package io.isometry.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * Blocking HTTP calls against a running engine, for tests: they run on the JUnit thread, never on
 * an event loop, so waiting for an answer is fine there and keeps multi-step scenarios readable.
 */
final class RestCalls {

  /** An HTTP answer. */
  record Reply(int status, MultiMap headers, String body) {

    JsonObject json() {
      return new JsonObject(body);
    }

    String contentType() {
      return headers.get("content-type");
    }
  }

  private final HttpClient client;
  private final int port;

  RestCalls(Vertx vertx, int port) {
    this.client = vertx.createHttpClient();
    this.port = port;
  }

  Reply get(String path) {
    return send(HttpMethod.GET, path, null);
  }

  Reply post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, body.encode());
  }

  Reply post(String path, String body) {
    return send(HttpMethod.POST, path, body);
  }

  Reply send(HttpMethod method, String path, String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
        .compose(RestCalls::read)
        .await();
  }

  /** Sends {@code body} as a chunked stream, without announcing its length up front. */
  Reply postChunked(String path, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(path);
    return client.request(options)
        .compose(request -> {
          // The server may answer and close before it has read it all: only the answer matters here.
          request.setChunked(true).end(body);
          return request.response();
        })
        .compose(RestCalls::read)
        .await();
  }

  private static Future<Reply> read(HttpClientResponse response) {
    return response.body().map(content -> new Reply(response.statusCode(), response.headers(), content.toString()));
  }
}
