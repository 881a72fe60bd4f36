package io.chainseal.anchor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ProvenanceVerifier} trusts: the one chain anchors must be on, the anchor contracts
 * (each with the block it was deployed in, where searches of its history start), and the publishers
 * whose anchors count. Nothing in a proof can widen it. Immutable.
 *
 * <p>Also the trust file of {@code chainseal verify --trust-file} (docs/anchoring.md), a JSON document:
 *
 * <pre>{@code
 * {
 *   "chainId": 31337,
 *   "contracts": [ { "address": "0x5FbDB2315678afecb367f032d93F642f64180aa3", "fromBlock": 1 } ],
 *   "publishers": [ "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" ],
 *   "confirmations": 3,
 *   "rpc": "http://127.0.0.1:8545"
 * }
 * }</pre>
 *
 * {@code confirmations} and {@code rpc} are optional conveniences for the command line; a file that
 * means to accept anyone's anchors must say so with {@code "insecureAcceptAnyPublisher": true} instead
 * of listing publishers.
 */
public final class TrustSettings {
  private static final int MAX_DOCUMENT_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(32).build()).build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();
  private static final Set<String> TOP = Set.of("chainId", "contracts", "publishers", "insecureAcceptAnyPublisher",
      "confirmations", "rpc");

  private final long chainId;
  private final SortedMap<EvmAddress, Long> contracts;
  private final SortedSet<EvmAddress> publishers;
  private final boolean anyPublisher;
  private final int confirmations;
  private final @Nullable String rpcUrl;

  private TrustSettings(Builder b) {
    if (b.chainId < 1) {
      throw new IllegalStateException("chainId is not set: the chain every trusted anchor must be on");
    }
    if (b.contracts.isEmpty()) {
      throw new IllegalStateException("no trusted anchor contract: add the operator's contract with trustContract(...)");
    }
    if (b.publishers.isEmpty() && !b.anyPublisher) {
      throw new IllegalStateException("no trusted publisher: add the operator's address with trustPublisher(...), or call"
          + " insecureAcceptAnyPublisher() to count anyone's anchors");
    }
    if (!b.publishers.isEmpty() && b.anyPublisher) {
      throw new IllegalStateException("trusted publishers are listed and insecureAcceptAnyPublisher() is set: choose one");
    }
    this.chainId = b.chainId;
    this.contracts = Collections.unmodifiableSortedMap(new TreeMap<>(b.contracts));
    this.publishers = Collections.unmodifiableSortedSet(new TreeSet<>(b.publishers));
    this.anyPublisher = b.anyPublisher;
    this.confirmations = b.confirmations;
    this.rpcUrl = b.rpcUrl;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The chain every trusted anchor must be on (EIP-155 id). */
  public long chainId() {
    return chainId;
  }

  /** Trusted anchor contracts, each with the first block searched for its anchors. */
  public SortedMap<EvmAddress, Long> contracts() {
    return contracts;
  }

  /** Trusted publishers; empty only when {@link #acceptsAnyPublisher()}. */
  public SortedSet<EvmAddress> publishers() {
    return publishers;
  }

  /** Whether anyone's anchors count (set only by {@link Builder#insecureAcceptAnyPublisher()}). */
  public boolean acceptsAnyPublisher() {
    return anyPublisher;
  }

  /** Whether {@code publisher}'s anchors count. */
  public boolean trusts(EvmAddress publisher) {
    return anyPublisher || publishers.contains(publisher);
  }

  /** The confirmations the file asks for, if it names any. */
  public OptionalInt confirmations() {
    return confirmations > 0 ? OptionalInt.of(confirmations) : OptionalInt.empty();
  }

  /** The RPC endpoint the file names, if any (for the command line; may carry an API key). */
  public Optional<String> rpcUrl() {
    return Optional.ofNullable(rpcUrl);
  }

  /** This as a trust file. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("chainId", chainId);
    ArrayNode list = root.putArray("contracts");
    contracts.forEach((address, from) -> list.addObject().put("address", address.checksummed()).put("fromBlock", from));
    if (anyPublisher) {
      root.put("insecureAcceptAnyPublisher", true);
    } else {
      ArrayNode trusted = root.putArray("publishers");
      publishers.forEach(p -> trusted.add(p.checksummed()));
    }
    if (confirmations > 0) {
      root.put("confirmations", confirmations);
    }
    if (rpcUrl != null) {
      root.put("rpc", rpcUrl);
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write trust settings", e);
    }
  }

  /**
   * Reads a trust file.
   *
   * @throws FormatException naming the field that is missing, unknown or malformed
   */
  public static TrustSettings parse(byte[] json) throws FormatException {
    Objects.requireNonNull(json, "json == null");
    if (json.length > MAX_DOCUMENT_BYTES) {
      throw new FormatException("", "trust file is larger than " + MAX_DOCUMENT_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new FormatException("", "trust file is not valid JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new FormatException("", "trust file must be a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!TOP.contains(name)) {
        throw new FormatException(name, "unknown field");
      }
    }
    Builder b = builder();
    b.chainId(positive(root, "chainId"));
    JsonNode contracts = root.get("contracts");
    if (contracts == null || !contracts.isArray()) {
      throw new FormatException("contracts", "must be an array of {\"address\", \"fromBlock\"}");
    }
    for (int i = 0; i < contracts.size(); i++) {
      String field = "contracts[" + i + "]";
      JsonNode entry = contracts.get(i);
      if (!entry.isObject()) {
        throw new FormatException(field, "must be an object");
      }
      for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("address") && !name.equals("fromBlock")) {
          throw new FormatException(field + "." + name, "unknown field");
        }
      }
      EvmAddress address = address(entry.get("address"), field + ".address");
      long from = entry.has("fromBlock") ? nonNegative(entry.get("fromBlock"), field + ".fromBlock") : 0;
      b.trustContract(address, from);
    }
    JsonNode publishers = root.get("publishers");
    if (publishers != null) {
      if (!publishers.isArray()) {
        throw new FormatException("publishers", "must be an array of addresses");
      }
      for (int i = 0; i < publishers.size(); i++) {
        b.trustPublisher(address(publishers.get(i), "publishers[" + i + "]"));
      }
    }
    JsonNode any = root.get("insecureAcceptAnyPublisher");
    if (any != null) {
      if (!any.isBoolean()) {
        throw new FormatException("insecureAcceptAnyPublisher", "must be true or false");
      }
      if (any.booleanValue()) {
        b.insecureAcceptAnyPublisher();
      }
    }
    if (root.has("confirmations")) {
      long confirmations = positive(root, "confirmations");
      if (confirmations > 1_000_000) {
        throw new FormatException("confirmations", "must be at most 1000000");
      }
      b.confirmations((int) confirmations);
    }
    JsonNode rpc = root.get("rpc");
    if (rpc != null) {
      if (!rpc.isTextual() || rpc.asText().isEmpty()) {
        throw new FormatException("rpc", "must be a URL string");
      }
      b.rpcUrl(rpc.asText());
    }
    try {
      return b.build();
    } catch (IllegalStateException e) {
      throw new FormatException("", String.valueOf(e.getMessage()));
    }
  }

  private static long positive(JsonNode root, String name) throws FormatException {
    JsonNode value = root.get(name);
    if (value == null) {
      throw new FormatException(name, "missing");
    }
    long result = nonNegative(value, name);
    if (result < 1) {
      throw new FormatException(name, "must be at least 1");
    }
    return result;
  }

  private static long nonNegative(JsonNode value, String field) throws FormatException {
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new FormatException(field, "must be an integer from 0 to 2^63-1");
    }
    return value.asLong();
  }

  private static EvmAddress address(@Nullable JsonNode value, String field) throws FormatException {
    if (value == null || !value.isTextual()) {
      throw new FormatException(field, "must be an address string 0x...");
    }
    try {
      return EvmAddress.fromHex(value.asText());
    } catch (IllegalArgumentException e) {
      throw new FormatException(field, String.valueOf(e.getMessage()));
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TrustSettings other && chainId == other.chainId && contracts.equals(other.contracts)
        && publishers.equals(other.publishers) && anyPublisher == other.anyPublisher && confirmations == other.confirmations
        && Objects.equals(rpcUrl, other.rpcUrl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(chainId, contracts, publishers, anyPublisher, confirmations, rpcUrl);
  }

  /** Names the chain, contracts and publishers; never the RPC URL, which may carry an API key. */
  @Override
  public String toString() {
    return "TrustSettings[chain " + chainId + ", contracts " + contracts.keySet() + ", publishers "
        + (anyPublisher ? "ANY (insecure)" : publishers) + "]";
  }

  /** Builds {@link TrustSettings}; {@link #build()} names what is missing. */
  public static final class Builder {
    private long chainId;
    private final Map<EvmAddress, Long> contracts = new TreeMap<>();
    private final Set<EvmAddress> publishers = new TreeSet<>();
    private boolean anyPublisher;
    private int confirmations;
    private @Nullable String rpcUrl;

    private Builder() {}

    /** The chain every trusted anchor must be on. Required. */
    public Builder chainId(long chainId) {
      if (chainId < 1) {
        throw new IllegalArgumentException("chainId must be at least 1, got " + chainId);
      }
      this.chainId = chainId;
      return this;
    }

    /** Trusts the anchor contract at {@code address}, deployed in block {@code fromBlock} (searches start there). */
    public Builder trustContract(EvmAddress address, long fromBlock) {
      Objects.requireNonNull(address, "address == null");
      if (fromBlock < 0) {
        throw new IllegalArgumentException("fromBlock must not be negative");
      }
      contracts.put(address, fromBlock);
      return this;
    }

    /** Trusts the anchor contract at {@code address}, searching its history from block 0. */
    public Builder trustContract(EvmAddress address) {
      return trustContract(address, 0);
    }

    /** Counts the anchors of {@code publisher} (the operator's address). */
    public Builder trustPublisher(EvmAddress publisher) {
      publishers.add(Objects.requireNonNull(publisher, "publisher == null"));
      return this;
    }

    /**
     * Counts <em>anyone's</em> anchors in the trusted contracts. Insecure for deciding who sent or
     * anchored a message: anybody can anchor any root there, so a {@code VERIFIED} then says only that
     * someone anchored it by the block time. The result names the publisher; check it yourself.
     */
    public Builder insecureAcceptAnyPublisher() {
      this.anyPublisher = true;
      return this;
    }

    /** Confirmations the command line should require (optional). */
    public Builder confirmations(int confirmations) {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be at least 1");
      }
      this.confirmations = confirmations;
      return this;
    }

    /** The RPC endpoint the command line should use (optional). */
    public Builder rpcUrl(String rpcUrl) {
      this.rpcUrl = Objects.requireNonNull(rpcUrl, "rpcUrl == null");
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalStateException naming what is missing or contradictory
     */
    public TrustSettings build() {
      return new TrustSettings(this);
    }
  }
}
