package io.chainseal.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.Hash32;
import java.io.IOException;
import java.util.Objects;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * EIP-712 typed data as the JSON {@code eth_signTypedData_v4} takes, hashed by Web3j's
 * {@link StructuredDataEncoder}: what Chainseal signs (payment requests, vouchers, votes) is always
 * something any wallet can show and sign, and any library can check. Build one per document; not
 * thread-safe while being built.
 */
public final class TypedData {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode root = JSON.createObjectNode();
  private final ObjectNode types = root.putObject("types");
  private final ObjectNode domain = root.putObject("domain");
  private final ObjectNode message = root.putObject("message");

  /** Typed data of {@code primaryType} in a domain of {@code name}, {@code version} and {@code chainId} (and a contract, if given). */
  public TypedData(String primaryType, String name, String version, long chainId,
      io.chainseal.core.@org.jspecify.annotations.Nullable EvmAddress contract) {
    root.put("primaryType", primaryType);
    ArrayNode domainType = types.putArray("EIP712Domain");
    field(domainType, "name", "string");
    field(domainType, "version", "string");
    field(domainType, "chainId", "uint256");
    domain.put("name", name);
    domain.put("version", version);
    domain.put("chainId", chainId);
    if (contract != null) {
      field(domainType, "verifyingContract", "address");
      domain.put("verifyingContract", contract.lowercase());
    }
  }

  /** Declares the primary type's fields: name, type, name, type, … */
  public TypedData type(String typeName, String... namesAndTypes) {
    ArrayNode fields = types.putArray(typeName);
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      field(fields, namesAndTypes[i], namesAndTypes[i + 1]);
    }
    return this;
  }

  /** The message object, to fill in. */
  public ObjectNode message() {
    return message;
  }

  private static void field(ArrayNode fields, String name, String type) {
    ObjectNode field = fields.addObject();
    field.put("name", name);
    field.put("type", type);
  }

  /** The JSON to hand {@code eth_signTypedData_v4}. */
  public String json() {
    return root.toString();
  }

  /** The EIP-712 digest: keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)). */
  public Hash32 digest() {
    return digest(json());
  }

  /**
   * The EIP-712 digest of typed-data JSON.
   *
   * @throws IllegalArgumentException if it is not EIP-712 typed data
   */
  public static Hash32 digest(String json) {
    Objects.requireNonNull(json, "json == null");
    try {
      return Hash32.of(new StructuredDataEncoder(json).hashStructuredData());
    } catch (IOException | RuntimeException e) {
      // Web3j reports a malformed document or a type it cannot encode as one of various runtime exceptions.
      throw new IllegalArgumentException("not EIP-712 typed data: " + e.getMessage(), e);
    }
  }
}
