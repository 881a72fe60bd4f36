package io.chainseal.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.testkit.LocalChainException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal JSON-RPC 2.0 client for the node-control methods ({@code anvil_*}, {@code evm_*}) that
 * Web3j does not wrap. Thread-safe.
 */
public final class JsonRpc {
  private final HttpClient http;
  private final URI uri;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong ids = new AtomicLong();

  public JsonRpc(URI uri) {
    this.uri = uri;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /**
   * Calls {@code method} with {@code params} (converted by Jackson) and returns its {@code result}.
   *
   * @throws LocalChainException if the node cannot be reached or answers with an error
   */
  public JsonNode call(String method, Object... params) {
    ObjectNode request = json.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", ids.incrementAndGet());
    request.put("method", method);
    ArrayNode array = request.putArray("params");
    for (Object param : params) {
      array.add(json.valueToTree(param));
    }
    HttpResponse<String> response;
    try {
      response = http.send(
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new LocalChainException(method + " failed: node at " + uri + " unreachable (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalChainException(method + " interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new LocalChainException(method + " failed: HTTP " + response.statusCode() + " from " + uri);
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (IOException e) {
      throw new LocalChainException(method + " failed: unreadable answer from " + uri, e);
    }
    JsonNode error = body.get("error");
    if (error != null && !error.isNull()) {
      throw new LocalChainException(method + " failed: " + error.path("message").asText(error.toString()));
    }
    return body.path("result");
  }

  /** Whether the node answers {@code eth_chainId} right now. */
  public boolean answers() {
    try {
      call("eth_chainId");
      return true;
    } catch (LocalChainException e) {
      return false;
    }
  }
}
