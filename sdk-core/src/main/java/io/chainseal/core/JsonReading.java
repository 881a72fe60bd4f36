package io.chainseal.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Strict reading of Chainseal's JSON documents: bounded, no duplicates, no unknown fields. */
final class JsonReading {
  static final ObjectMapper MAPPER = JsonMapper.builder(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder()
                  .maxNestingDepth(16)
                  .maxNumberLength(32)
                  .maxStringLength(32 * 1024 * 1024)
                  .build())
              .build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private JsonReading() {}

  static byte[] readBounded(InputStream in, int maxBytes) throws FormatException, IOException {
    byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw new FormatException("", "document is larger than " + maxBytes + " bytes");
    }
    return bytes;
  }

  static ObjectNode parseObject(byte[] json, int maxBytes, String what) throws FormatException {
    if (json.length > maxBytes) {
      throw new FormatException("", what + " is " + json.length + " bytes, more than " + maxBytes);
    }
    // UTF-8 only, as RFC 8259 requires between systems: Jackson would also guess UTF-16/32 or skip a BOM,
    // and another implementation need not, so such documents are refused here rather than read differently.
    if (json.length >= 3 && (json[0] & 0xff) == 0xef && (json[1] & 0xff) == 0xbb && (json[2] & 0xff) == 0xbf) {
      throw new FormatException("", what + " starts with a byte-order mark; documents are UTF-8 without one");
    }
    for (int i = 0; i < Math.min(4, json.length); i++) {
      if (json[i] == 0) {
        throw new FormatException("", what + " is not UTF-8 (a NUL byte at offset " + i + ": UTF-16 or UTF-32?)");
      }
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new FormatException("", what + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new FormatException("", what + " could not be read: " + e.getMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw new FormatException("", what + " is empty");
    }
    if (!node.isObject()) {
      throw new FormatException("", what + " must be a JSON object");
    }
    return (ObjectNode) node;
  }

  static void allowOnly(ObjectNode node, String path, Set<String> allowed) throws FormatException {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new FormatException(join(path, name), "unknown field");
      }
    }
  }

  static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static JsonNode required(ObjectNode node, String path, String name) throws FormatException {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw new FormatException(join(path, name), "missing");
    }
    return value;
  }

  static @Nullable ObjectNode optionalObject(ObjectNode node, String path, String name) throws FormatException {
    JsonNode value = node.get(name);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      throw new FormatException(join(path, name), "must be an object");
    }
    return (ObjectNode) value;
  }

  static ObjectNode object(ObjectNode node, String path, String name) throws FormatException {
    JsonNode value = required(node, path, name);
    if (!value.isObject()) {
      throw new FormatException(join(path, name), "must be an object");
    }
    return (ObjectNode) value;
  }

  static long nonNegativeLong(ObjectNode node, String path, String name) throws FormatException {
    JsonNode value = required(node, path, name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new FormatException(join(path, name), "must be an integer, got " + describe(value));
    }
    long result = value.asLong();
    if (result < 0) {
      throw new FormatException(join(path, name), "must not be negative, got " + result);
    }
    return result;
  }

  static String text(ObjectNode node, String path, String name) throws FormatException {
    JsonNode value = required(node, path, name);
    if (!value.isTextual()) {
      throw new FormatException(join(path, name), "must be a string, got " + describe(value));
    }
    return value.asText();
  }

  static @Nullable String optionalText(ObjectNode node, String path, String name) throws FormatException {
    return node.has(name) ? text(node, path, name) : null;
  }

  static Hash32 hash(JsonNode value, String field) throws FormatException {
    if (!value.isTextual()) {
      throw new FormatException(field, "must be a string of 64 hex digits, got " + describe(value));
    }
    try {
      return Hash32.fromHex(value.asText());
    } catch (IllegalArgumentException e) {
      throw new FormatException(field, String.valueOf(e.getMessage()));
    }
  }

  static Hash32 hash(ObjectNode node, String path, String name) throws FormatException {
    return hash(required(node, path, name), join(path, name));
  }

  static List<Hash32> hashes(ObjectNode node, String path, String name, int max) throws FormatException {
    JsonNode value = required(node, path, name);
    String field = join(path, name);
    if (!value.isArray()) {
      throw new FormatException(field, "must be an array, got " + describe(value));
    }
    if (value.size() > max) {
      throw new FormatException(field, "has " + value.size() + " elements, at most " + max + " allowed");
    }
    List<Hash32> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      out.add(hash(value.get(i), field + "[" + i + "]"));
    }
    return out;
  }

  static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isNumber()) {
      return value.isIntegralNumber() ? "an integer out of range" : "a fraction";
    }
    return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
