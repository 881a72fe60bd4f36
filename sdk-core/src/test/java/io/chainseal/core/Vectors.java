package io.chainseal.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Loads language-neutral test vectors from src/test/resources/vectors. */
final class Vectors {
  private Vectors() {}

  static JsonNode load(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new AssertionError("missing vector file " + name);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<Hash32> hashes(JsonNode array) {
    List<Hash32> out = new ArrayList<>();
    array.forEach(node -> out.add(Hash32.fromHex(node.asText())));
    return out;
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
