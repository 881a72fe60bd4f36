package io.chainseal.wallet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict reading of the wallet's JSON documents that travel in chat (receipts, signed requests): bounded
 * size, no duplicate keys, no unknown fields, the expected type and version 1, and each field of the
 * right kind — every refusal a {@link FormatException} naming the field.
 */
final class ChatDocument {
  static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private final JsonNode root;

  private ChatDocument(JsonNode root) {
    this.root = root;
  }

  /** Parses {@code json} as a document of {@code type} with only {@code fields}. */
  static ChatDocument parse(String json, String type, Set<String> fields, int maxLength, String what) throws FormatException {
    if (json.length() > maxLength) {
      throw new FormatException("", "a " + what + " has at most " + maxLength + " characters, this one " + json.length());
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new FormatException("", "not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new FormatException("", "not a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new FormatException(name, "unknown field");
      }
    }
    ChatDocument document = new ChatDocument(root);
    if (!type.equals(document.text("type"))) {
      throw new FormatException("type", "must be \"" + type + "\"");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != 1) {
      throw new FormatException("version", "must be 1");
    }
    return document;
  }

  /** A new document of {@code type}, version 1. */
  static ObjectNode create(String type) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type);
    node.put("version", 1);
    return node;
  }

  String text(String field) throws FormatException {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual()) {
      throw new FormatException(field, "missing, or not a string");
    }
    return value.textValue();
  }

  long positive(String field) throws FormatException {
    JsonNode value = root.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() <= 0) {
      throw new FormatException(field, "must be a positive whole number");
    }
    return value.longValue();
  }

  /** A positive whole number of a token's smallest unit, written as a decimal string (so no JSON library rounds it). */
  java.math.BigInteger amount(String field) throws FormatException {
    String text = text(field);
    if (!text.matches("[1-9][0-9]{0,77}")) {
      throw new FormatException(field, "must be a positive whole number of the smallest unit, as a string");
    }
    return new java.math.BigInteger(text);
  }

  EvmAddress address(String field) throws FormatException {
    try {
      return EvmAddress.fromHex(text(field));
    } catch (IllegalArgumentException e) {
      throw new FormatException(field, String.valueOf(e.getMessage()));
    }
  }

  Hash32 hash(String field) throws FormatException {
    try {
      return Hash32.fromHex(text(field));
    } catch (IllegalArgumentException e) {
      throw new FormatException(field, "not a 32-byte hex hash");
    }
  }
}
