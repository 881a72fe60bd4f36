package io.chainseal.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes {@link MessageProof}s as JSON, format version 1 ({@code docs/proof-format.md}).
 *
 * <p>Parsing is strict, because proofs arrive from untrusted parties: documents are at most
 * {@value #MAX_DOCUMENT_BYTES} bytes, paths at most {@value MerkleVerifier#MAX_PATH_LENGTH} hashes,
 * hashes exactly 32 bytes; duplicate keys, unknown fields, trailing data and wrong types are
 * rejected. Every failure is a {@link FormatException} naming the field; nothing else is thrown.
 * Thread-safe.
 */
public final class ProofCodec {
  public static final int MAX_DOCUMENT_BYTES = 64 * 1024;

  private static final Set<String> TOP = Set.of("version", "hashAlgorithm", "commitment", "batch", "signature", "conversation", "anchor",
      "checkpoint");
  private static final Set<String> CHECKPOINT = Set.of("chainId", "contract", "publisher", "sequence", "treeSize", "root", "time",
      "signature");
  private static final Set<String> BATCH = Set.of("leafIndex", "treeSize", "root", "path");
  private static final Set<String> SIGNATURE = Set.of("signer", "value");
  private static final Set<String> CONVERSATION = Set.of("index", "size", "root", "path");
  private static final Set<String> ANCHOR = Set.of("chainId", "contract", "transactionHash", "blockNumber", "logIndex", "blockHash");

  private ProofCodec() {}

  /** The proof as a JSON document (UTF-8 text, two-space indented, fields in a fixed order). */
  public static String toJson(MessageProof proof) {
    Objects.requireNonNull(proof, "proof == null");
    ObjectNode root = JsonReading.MAPPER.createObjectNode();
    root.put("version", proof.version());
    root.put("hashAlgorithm", proof.hashAlgorithm().jsonName());
    root.put("commitment", proof.commitment().hex());
    ObjectNode batch = root.putObject("batch");
    batch.put("leafIndex", proof.inclusion().leafIndex());
    batch.put("treeSize", proof.inclusion().treeSize());
    batch.put("root", proof.root().hex());
    hexArray(batch.putArray("path"), proof.inclusion().path());
    proof.signature().ifPresent(signature -> {
      ObjectNode node = root.putObject("signature");
      node.put("signer", signature.signer().toText());
      node.put("value", signature.valueHex());
    });
    proof.conversation().ifPresent(position -> {
      ObjectNode node = root.putObject("conversation");
      node.put("index", position.proof().leafIndex());
      node.put("size", position.proof().treeSize());
      node.put("root", position.root().hex());
      hexArray(node.putArray("path"), position.proof().path());
    });
    proof.anchor().ifPresent(anchor -> {
      ObjectNode node = root.putObject("anchor");
      node.put("chainId", anchor.chainId());
      node.put("contract", anchor.contract().checksummed());
      node.put("transactionHash", anchor.transactionHash().hex0x());
      node.put("blockNumber", anchor.blockNumber());
      node.put("logIndex", anchor.logIndex());
      if (anchor.blockHash() != null) {
        node.put("blockHash", anchor.blockHash().hex0x());
      }
    });
    proof.checkpoint().ifPresent(signed -> {
      Checkpoint checkpoint = signed.checkpoint();
      ObjectNode node = root.putObject("checkpoint");
      node.put("chainId", checkpoint.chainId());
      node.put("contract", checkpoint.contract().checksummed());
      node.put("publisher", checkpoint.publisher().checksummed());
      node.put("sequence", checkpoint.sequence());
      node.put("treeSize", checkpoint.treeSize());
      node.put("root", checkpoint.root().hex());
      node.put("time", io.chainseal.core.internal.Rfc3339.format(checkpoint.time()));
      node.put("signature", signed.signature().valueHex());
    });
    try {
      return JsonReading.MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a proof document", e);
    }
  }

  private static void hexArray(ArrayNode array, List<Hash32> hashes) {
    for (Hash32 hash : hashes) {
      array.add(hash.hex());
    }
  }

  /** Parses a proof document. */
  public static MessageProof parse(String json) throws FormatException {
    Objects.requireNonNull(json, "json == null");
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses a proof document read from {@code in} (at most {@value #MAX_DOCUMENT_BYTES} bytes are read). */
  public static MessageProof parse(InputStream in) throws FormatException, IOException {
    return parse(JsonReading.readBounded(in, MAX_DOCUMENT_BYTES));
  }

  /** Parses a proof document given as UTF-8 bytes. */
  public static MessageProof parse(byte[] json) throws FormatException {
    Objects.requireNonNull(json, "json == null");
    try {
      return read(JsonReading.parseObject(json, MAX_DOCUMENT_BYTES, "proof"));
    } catch (RuntimeException e) {
      // Defence in depth: a reader bug must still surface as a typed error, never an unchecked one.
      throw new FormatException("", "unreadable proof (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static MessageProof read(ObjectNode root) throws FormatException {
    JsonReading.allowOnly(root, "", TOP);
    long version = JsonReading.nonNegativeLong(root, "", "version");
    if (version != MessageProof.VERSION) {
      throw new FormatException("version", "unsupported proof version " + version + " (this library reads version "
          + MessageProof.VERSION + ")");
    }
    String algorithmName = JsonReading.text(root, "", "hashAlgorithm");
    HashAlgorithm algorithm = HashAlgorithm.fromJsonName(algorithmName);
    if (algorithm == null) {
      throw new FormatException("hashAlgorithm", "unsupported hash algorithm " + Hash32.abbreviate(algorithmName));
    }
    MessageProof.Builder proof = MessageProof.builder()
        .hashAlgorithm(algorithm)
        .commitment(JsonReading.hash(root, "", "commitment"));

    ObjectNode batch = JsonReading.object(root, "", "batch");
    JsonReading.allowOnly(batch, "batch", BATCH);
    InclusionProof inclusion = inclusion(batch, "batch", "leafIndex", "treeSize");
    proof.inclusion(inclusion).root(JsonReading.hash(batch, "batch", "root"));

    ObjectNode signature = JsonReading.optionalObject(root, "", "signature");
    if (signature != null) {
      proof.signature(signature(signature));
    }
    ObjectNode conversation = JsonReading.optionalObject(root, "", "conversation");
    if (conversation != null) {
      JsonReading.allowOnly(conversation, "conversation", CONVERSATION);
      proof.conversation(new LogPosition(inclusion(conversation, "conversation", "index", "size"),
          JsonReading.hash(conversation, "conversation", "root")));
    }
    ObjectNode anchor = JsonReading.optionalObject(root, "", "anchor");
    if (anchor != null) {
      proof.anchor(anchor(anchor));
    }
    ObjectNode checkpoint = JsonReading.optionalObject(root, "", "checkpoint");
    if (checkpoint != null) {
      proof.checkpoint(checkpoint(checkpoint));
    }
    return proof.build();
  }

  private static InclusionProof inclusion(ObjectNode node, String path, String indexName, String sizeName) throws FormatException {
    long index = JsonReading.nonNegativeLong(node, path, indexName);
    long size = JsonReading.nonNegativeLong(node, path, sizeName);
    if (size < 1) {
      throw new FormatException(JsonReading.join(path, sizeName), "must be at least 1");
    }
    if (index >= size) {
      throw new FormatException(JsonReading.join(path, indexName), "must be less than " + sizeName + " " + size + ", got " + index);
    }
    return new InclusionProof(index, size, JsonReading.hashes(node, path, "path", MerkleVerifier.MAX_PATH_LENGTH));
  }

  private static MessageSignature signature(ObjectNode node) throws FormatException {
    JsonReading.allowOnly(node, "signature", SIGNATURE);
    SignerId signer;
    try {
      signer = SignerId.parse(JsonReading.text(node, "signature", "signer"));
    } catch (IllegalArgumentException e) {
      throw new FormatException("signature.signer", String.valueOf(e.getMessage()));
    }
    String valueHex = JsonReading.text(node, "signature", "value");
    byte @Nullable [] value = io.chainseal.core.internal.Hex.decodeOrNull(io.chainseal.core.internal.Hex.strip0x(valueHex));
    if (value == null) {
      throw new FormatException("signature.value", "must be hex");
    }
    try {
      return MessageSignature.of(signer, value);
    } catch (IllegalArgumentException e) {
      throw new FormatException("signature.value", String.valueOf(e.getMessage()));
    }
  }

  private static EvmAddress address(ObjectNode node, String path, String name) throws FormatException {
    try {
      return EvmAddress.fromHex(JsonReading.text(node, path, name));
    } catch (IllegalArgumentException e) {
      throw new FormatException(JsonReading.join(path, name), String.valueOf(e.getMessage()));
    }
  }

  private static SignedCheckpoint checkpoint(ObjectNode node) throws FormatException {
    JsonReading.allowOnly(node, "checkpoint", CHECKPOINT);
    long chainId = JsonReading.nonNegativeLong(node, "checkpoint", "chainId");
    long sequence = JsonReading.nonNegativeLong(node, "checkpoint", "sequence");
    long treeSize = JsonReading.nonNegativeLong(node, "checkpoint", "treeSize");
    if (chainId < 1 || sequence < 1 || treeSize < 1) {
      throw new FormatException("checkpoint", "chainId, sequence and treeSize must be at least 1");
    }
    EvmAddress publisher = address(node, "checkpoint", "publisher");
    java.time.Instant time = io.chainseal.core.internal.Rfc3339.parseMillis(JsonReading.text(node, "checkpoint", "time"));
    if (time == null) {
      throw new FormatException("checkpoint.time", "must be an RFC 3339 UTC time such as 2026-01-31T12:00:00.123Z");
    }
    byte @Nullable [] signature = io.chainseal.core.internal.Hex.decodeOrNull(
        io.chainseal.core.internal.Hex.strip0x(JsonReading.text(node, "checkpoint", "signature")));
    if (signature == null || signature.length != SignatureScheme.SECP256K1_EIP191.signatureLength()) {
      throw new FormatException("checkpoint.signature", "must be 65 bytes of hex");
    }
    Checkpoint checkpoint = new Checkpoint(chainId, address(node, "checkpoint", "contract"), publisher, sequence, treeSize,
        JsonReading.hash(node, "checkpoint", "root"), time);
    return new SignedCheckpoint(checkpoint, MessageSignature.of(SignerId.ofAddress(publisher), signature));
  }

  private static AnchorReference anchor(ObjectNode node) throws FormatException {
    JsonReading.allowOnly(node, "anchor", ANCHOR);
    long chainId = JsonReading.nonNegativeLong(node, "anchor", "chainId");
    if (chainId < 1) {
      throw new FormatException("anchor.chainId", "must be at least 1");
    }
    EvmAddress contract;
    try {
      contract = EvmAddress.fromHex(JsonReading.text(node, "anchor", "contract"));
    } catch (IllegalArgumentException e) {
      throw new FormatException("anchor.contract", String.valueOf(e.getMessage()));
    }
    return new AnchorReference(chainId, contract,
        JsonReading.hash(node, "anchor", "transactionHash"),
        JsonReading.nonNegativeLong(node, "anchor", "blockNumber"),
        JsonReading.nonNegativeLong(node, "anchor", "logIndex"),
        node.has("blockHash") ? JsonReading.hash(node, "anchor", "blockHash") : null);
  }
}
