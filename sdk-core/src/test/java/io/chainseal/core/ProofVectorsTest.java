package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.internal.Keccak;
import io.chainseal.core.internal.Secp256k1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published proof-format test vectors, {@code docs/vectors/proof-v1.json}: envelope → canonical
 * bytes → commitment → root → proof JSON; inputs that need normalizing; signed checkpoints with their
 * exact signed bytes; erased proofs; the same proof spelled in other accepted forms; and named invalid
 * cases — one or more for every rule of the spec's parsing table, and the verdicts of corrupted proofs.
 * This test regenerates them and fails if the committed file differs (run with
 * {@code -Dchainseal.updateVectors=true} to rewrite it after a deliberate change), then checks every
 * vector independently from the file, as another implementation would.
 */
class ProofVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = new ObjectMapper();
  private static final Path FILE = Path.of(System.getProperty("chainseal.root", ".."), "docs", "vectors", "proof-v1.json");
  private static final EvmAddress CONTRACT = EvmAddress.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3");

  static List<MessageEnvelope> envelopes() {
    SigningKey ed = Fixtures.ed25519();
    return List.of(
        MessageEnvelope.builder().conversationId("room-42").messageId("m-1").senderId("alice@example.org")
            .timestamp(Instant.parse("2026-11-24T09:00:00.123Z")).text("yes").build(),
        MessageEnvelope.builder().conversationId("room-42").messageId("m-2").senderId("bob@example.org")
            .timestamp(Instant.parse("2026-11-24T09:00:01Z")).text("cafe\u0301 at 10?").build(),
        MessageEnvelope.builder().conversationId("room-42").messageId("m-3").senderId("alice@example.org")
            .senderKey(Fixtures.secp256k1().id())
            .timestamp(Instant.parse("2026-11-24T09:00:02.500Z")).content(new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff})
            .attachment(Hash32.fromHex("11".repeat(32))).attachment(Hash32.fromHex("22".repeat(32)))
            .replyTo(new MessageRef("room-42", "m-2")).header("client", "chainseal-vectors/1").header("lang", "en")
            .build(),
        MessageEnvelope.builder().conversationId("room-42").messageId("m-4").senderId("carol@example.org")
            .senderKey(ed.id())
            .timestamp(Instant.parse("1999-12-31T23:59:59.999Z")).contentDigest(Hash32.fromHex("33".repeat(32)))
            .forwardedFrom(new MessageRef("room-7", "m-99")).build(),
        MessageEnvelope.builder().conversationId("\u4f1a\u8bae").messageId("m-5").senderId("dave@example.org")
            .timestamp(Instant.parse("2026-11-24T09:00:04Z")).text("\ud83d\udc4d \u00c5ngstr\u00f6m").build());
  }

  /** Envelope documents as a client might send them: not NFC, headers not sorted, finer timestamps. */
  static List<String[]> normalizationInputs() {
    return List.of(
        new String[] {"decomposed-text-and-ids",
            "{\"conversationId\":\"Cafe\\u0301-\\u1100\\u1161\",\"messageId\":\"n-1\",\"senderId\":\"A\\u030angstro\\u0308m\","
                + "\"timestamp\":\"2026-11-24T09:00:00.123999Z\",\"content\":{\"text\":\"cafe\\u0301 \\u212b\"}}"},
        new String[] {"unsorted-headers-needing-nfc",
            "{\"conversationId\":\"room-42\",\"messageId\":\"n-2\",\"senderId\":\"bob@example.org\","
                + "\"timestamp\":\"2026-11-24T09:00:00Z\",\"content\":{\"text\":\"ok\"},"
                + "\"headers\":{\"zeta\":\"last\",\"alpha\":\"a\\u0308\",\"Beta\":\"upper case sorts first\",\"_x\":\"underscore\"}}"},
        new String[] {"key-order-and-whitespace",
            "{ \"content\" : { \"text\" : \"line one\\r\\nline two\" } , \"timestamp\" : \"2026-11-24T09:00:00.5Z\" ,"
                + " \"senderId\" : \"carol\" , \"messageId\" : \"n-3\" , \"conversationId\" : \"room-42\" }"});
  }

  static ObjectNode generate() throws Exception {
    List<MessageEnvelope> envelopes = envelopes();
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "Chainseal proof format v1 test vectors (docs/proof-format.md)");
    root.put("commitmentTag", HexFormat.of().formatHex(MessageEnvelope.COMMITMENT_TAG));
    ArrayNode cases = root.putArray("messages");
    List<Hash32> commitments = new ArrayList<>();
    for (int i = 0; i < envelopes.size(); i++) {
      MessageEnvelope envelope = envelopes.get(i);
      ObjectNode node = cases.addObject();
      node.set("envelope", JSON.readTree(EnvelopeCodec.toJson(envelope)));
      node.put("canonicalBytes", HexFormat.of().formatHex(envelope.canonicalBytes()));
      node.put("salt", Fixtures.salt(i).toHex());
      Hash32 commitment = envelope.commit(Fixtures.salt(i));
      node.put("commitment", commitment.hex());
      commitments.add(commitment);
    }

    ArrayNode normalization = root.putArray("normalization");
    int seed = 10;
    for (String[] input : normalizationInputs()) {
      MessageEnvelope envelope = EnvelopeCodec.parse(input[1]);
      ObjectNode node = normalization.addObject();
      node.put("name", input[0]);
      node.put("inputJson", input[1]);
      node.put("canonicalBytes", HexFormat.of().formatHex(envelope.canonicalBytes()));
      node.put("salt", Fixtures.salt(seed).toHex());
      node.put("commitment", envelope.commit(Fixtures.salt(seed)).hex());
      node.set("normalizedEnvelope", JSON.readTree(EnvelopeCodec.toJson(envelope)));
      seed++;
    }

    MerkleTree tree = MerkleTree.ofLeafHashes(commitments);
    ConversationLog log = ConversationLog.restore("room-42", commitments.subList(0, 4));
    Checkpoint batchCheckpoint = new Checkpoint(31337, CONTRACT, Fixtures.secp256k1().id().address(), 7, envelopes.size(),
        tree.root(), Instant.parse("2026-11-24T09:00:05Z"));
    AnchorReference anchor = new AnchorReference(31337, CONTRACT, Hash32.fromHex("44".repeat(32)), 7, 0,
        Hash32.fromHex("55".repeat(32)));
    ObjectNode batch = root.putObject("batch");
    batch.put("root", tree.root().hex());
    ArrayNode proofs = batch.putArray("proofs");
    ArrayNode expected = batch.putArray("expected");
    List<MessageProof> built = new ArrayList<>();
    for (int i = 0; i < envelopes.size(); i++) {
      MessageProof.Builder proof = MessageProof.builder().commitment(commitments.get(i))
          .inclusion(tree.inclusionProof(i)).root(tree.root());
      if (i == 2) {
        proof.signature(Fixtures.secp256k1().sign(commitments.get(i)));
      }
      if (i == 3) {
        proof.signature(Fixtures.ed25519().sign(commitments.get(i)));
      }
      if (i == 4) {
        proof.signature(Fixtures.ed25519().sign(commitments.get(i))); // a key the envelope does not declare
      }
      if (i < 4) {
        proof.conversation(new LogPosition(log.inclusionProof(i, 4), log.checkpoint().root()));
      }
      if (i == 1 || i == 2) {
        proof.checkpoint(batchCheckpoint.sign(Fixtures.secp256k1()));
      }
      if (i == 0 || i == 2) {
        proof.anchor(anchor);
      }
      MessageProof p = proof.build();
      built.add(p);
      proofs.add(JSON.readTree(ProofCodec.toJson(p)));
      VerificationResult verdict = OfflineVerifier.create().verify(envelopes.get(i), Fixtures.salt(i), p);
      expected.addObject().put("status", verdict.status().name()).put("senderBinding", verdict.senderBinding().orElseThrow().name());
    }

    ArrayNode checkpoints = root.putArray("checkpoints");
    addCheckpoint(checkpoints, "batch-checkpoint", batchCheckpoint, Fixtures.secp256k1());
    addCheckpoint(checkpoints, "millisecond-time", new Checkpoint(1, CONTRACT, Fixtures.secp256k1().id().address(),
        Long.MAX_VALUE, 1, commitments.get(0), Instant.parse("1970-01-01T00:00:00.001Z")), Fixtures.secp256k1());

    ArrayNode erased = root.putArray("erased");
    addErased(erased, "redacted-anchored-proof", built.get(2).redactedForErasure(), "VERIFIED_OFFLINE");
    addErased(erased, "redacted-sealed-proof", built.get(1).toBuilder().anchor(null).build().redactedForErasure(),
        "VERIFIED_OFFLINE");
    SignedCheckpoint junk = new SignedCheckpoint(batchCheckpoint, MessageSignature.of(SignerId.ofAddress(
        batchCheckpoint.publisher()), SigningKey.secp256k1(Fixtures.salt(99).bytes()).sign(batchCheckpoint.digest()).value()));
    addErased(erased, "forged-checkpoint-signature", built.get(1).redactedForErasure().toBuilder().checkpoint(junk).build(),
        "BAD_SIGNATURE");

    ArrayNode equivalent = root.putArray("equivalentForms");
    String canonical = COMPACT.writeValueAsString(proofs.get(2));
    MessageProof good = built.get(2);
    addEquivalent(equivalent, "upper-case-hex-and-0x-prefixes", canonical
        .replace(good.commitment().hex(), "0x" + good.commitment().hex().toUpperCase(java.util.Locale.ROOT))
        .replace(good.root().hex(), "0X" + good.root().hex().toUpperCase(java.util.Locale.ROOT)), 2);
    addEquivalent(equivalent, "lower-case-addresses", canonical.replace(CONTRACT.checksummed(), CONTRACT.lowercase())
        .replace(Fixtures.ANVIL_ADDRESS_0, Fixtures.ANVIL_ADDRESS_0.toLowerCase(java.util.Locale.ROOT)), 2);
    addEquivalent(equivalent, "reordered-keys-and-whitespace", reorderedWithWhitespace(proofs.get(2)), 2);
    addEquivalent(equivalent, "time-with-more-fraction-digits", COMPACT.writeValueAsString(proofs.get(1))
        .replace("2026-11-24T09:00:05Z", "2026-11-24T09:00:05.000999Z"), 1);

    ArrayNode invalid = root.putArray("invalid");
    addVerdicts(invalid, proofs, built, envelopes);
    addProofFormatErrors(invalid, COMPACT.writeValueAsString(proofs.get(2)), COMPACT.writeValueAsString(proofs.get(1)), good);
    addEnvelopeFormatErrors(invalid);
    return root;
  }

  private static void addCheckpoint(ArrayNode checkpoints, String name, Checkpoint checkpoint, SigningKey key) throws Exception {
    SignedCheckpoint signed = checkpoint.sign(key);
    ObjectNode node = checkpoints.addObject();
    node.put("name", name);
    ObjectNode fields = node.putObject("checkpoint");
    fields.put("chainId", checkpoint.chainId());
    fields.put("contract", checkpoint.contract().checksummed());
    fields.put("publisher", checkpoint.publisher().checksummed());
    fields.put("sequence", checkpoint.sequence());
    fields.put("treeSize", checkpoint.treeSize());
    fields.put("root", checkpoint.root().hex());
    fields.put("time", checkpoint.time().toString());
    node.put("encoded", HexFormat.of().formatHex(checkpoint.encode()));
    node.put("digest", checkpoint.digest().hex());
    node.put("eip191Hash", HexFormat.of().formatHex(Keccak.keccak256(SigningKey.EIP191_PREFIX, checkpoint.digest().bytes())));
    node.put("signature", signed.signature().valueHex());
  }

  private static void addErased(ArrayNode erased, String name, MessageProof proof, String status) throws Exception {
    ObjectNode node = erased.addObject();
    node.put("name", name);
    node.set("proof", JSON.readTree(ProofCodec.toJson(proof)));
    node.put("status", status);
  }

  private static void addEquivalent(ArrayNode equivalent, String name, String document, int sameAsProof) {
    ObjectNode node = equivalent.addObject();
    node.put("name", name);
    node.put("document", document);
    node.put("sameAsProof", sameAsProof);
  }

  private static String reorderedWithWhitespace(JsonNode proof) throws Exception {
    List<String> names = new ArrayList<>();
    proof.fieldNames().forEachRemaining(names::add);
    StringBuilder out = new StringBuilder("{\n");
    for (int i = names.size() - 1; i >= 0; i--) {
      out.append("\t\"").append(names.get(i)).append("\" :  ").append(COMPACT.writeValueAsString(proof.get(names.get(i))));
      out.append(i > 0 ? " ,\r\n" : "\n");
    }
    return out.append("}").toString();
  }

  private static void addVerdicts(ArrayNode invalid, ArrayNode proofs, List<MessageProof> built, List<MessageEnvelope> envelopes)
      throws Exception {
    MessageProof good = built.get(2);
    addVerdict(invalid, "wrong-leaf: proof of message 2 checked against message 1", 1, proofs.get(2), "TAMPERED");
    List<Hash32> path = new ArrayList<>(good.inclusion().path());
    path.set(0, MerklePropertyTest.flip(path.get(0), 3));
    addVerdict(invalid, "modified-path[0]-bit-3", 2, proof(good.toBuilder().inclusion(new InclusionProof(2, 5, path)).build()),
        "BAD_PROOF");
    addVerdict(invalid, "wrong-index", 2, proof(good.toBuilder().inclusion(new InclusionProof(1, 5, good.inclusion().path())).build()),
        "BAD_PROOF");
    addVerdict(invalid, "modified-root-bit-0", 2, proof(good.toBuilder().root(MerklePropertyTest.flip(good.root(), 0))
        .checkpoint(null).anchor(null).build()), "BAD_PROOF");
    byte[] signature = good.signature().orElseThrow().value();
    signature[10] ^= 1;
    addVerdict(invalid, "modified-signature-bit-0-of-byte-10", 2,
        proof(good.toBuilder().signature(MessageSignature.of(good.signature().get().signer(), signature)).build()), "BAD_SIGNATURE");
    addVerdict(invalid, "signature-by-someone-else", 2,
        proof(good.toBuilder().signature(Fixtures.ed25519().sign(good.commitment())).build()), "BAD_SIGNATURE");
    SigningKey other = SigningKey.secp256k1(Fixtures.salt(42).bytes());
    addVerdict(invalid, "valid-signature-by-a-key-other-than-the-declared-sender-key", 2,
        proof(good.toBuilder().signature(other.sign(good.commitment())).build()), "BAD_SIGNATURE");
    byte[] value = good.signature().orElseThrow().value();
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(value, 32, 64));
    byte[] highS = value.clone();
    byte[] flipped = Secp256k1.N.subtract(s).toByteArray();
    Arrays.fill(highS, 32, 64, (byte) 0);
    System.arraycopy(flipped, Math.max(0, flipped.length - 32), highS, 64 - Math.min(32, flipped.length), Math.min(32, flipped.length));
    highS[64] = (byte) (value[64] == 27 ? 28 : 27);
    addVerdict(invalid, "high-s-signature (the malleable twin of a valid one)", 2,
        proof(good.toBuilder().signature(MessageSignature.of(good.signature().get().signer(), highS)).build()), "BAD_SIGNATURE");
    // The same r and s with v as a recovery id (0/1, accepted by some libraries) or out of range (29): never EIP-191.
    for (int v : new int[] {value[64] - 27, 29}) {
      byte[] wrongV = value.clone();
      wrongV[64] = (byte) v;
      addVerdict(invalid, "signature-v-" + v, 2,
          proof(good.toBuilder().signature(MessageSignature.of(good.signature().get().signer(), wrongV)).build()), "BAD_SIGNATURE");
    }
    Checkpoint checkpoint = good.checkpoint().orElseThrow().checkpoint();
    addVerdict(invalid, "checkpoint-signed-by-someone-else", 2, proof(good.toBuilder().checkpoint(new SignedCheckpoint(checkpoint,
        MessageSignature.of(SignerId.ofAddress(checkpoint.publisher()), other.sign(checkpoint.digest()).value()))).build()),
        "BAD_SIGNATURE");
    addVerdict(invalid, "checkpoint-for-another-root", 2, proof(good.toBuilder().checkpoint(new Checkpoint(checkpoint.chainId(),
        checkpoint.contract(), checkpoint.publisher(), checkpoint.sequence(), checkpoint.treeSize(),
        MerklePropertyTest.flip(checkpoint.root(), 0), checkpoint.time()).sign(Fixtures.secp256k1())).build()), "BAD_PROOF");
    addVerdict(invalid, "checkpoint-for-another-tree-size", 2, proof(good.toBuilder().checkpoint(new Checkpoint(
        checkpoint.chainId(), checkpoint.contract(), checkpoint.publisher(), checkpoint.sequence(), 6, checkpoint.root(),
        checkpoint.time()).sign(Fixtures.secp256k1())).build()), "BAD_PROOF");
    addVerdict(invalid, "checkpoint-on-another-chain-than-the-anchor", 2, proof(good.toBuilder().checkpoint(new Checkpoint(1,
        checkpoint.contract(), checkpoint.publisher(), checkpoint.sequence(), checkpoint.treeSize(), checkpoint.root(),
        checkpoint.time()).sign(Fixtures.secp256k1())).build()), "BAD_PROOF");
    addVerdict(invalid, "checkpoint-time-changed-after-signing", 2, proof(good.toBuilder().checkpoint(new SignedCheckpoint(
        new Checkpoint(checkpoint.chainId(), checkpoint.contract(), checkpoint.publisher(), checkpoint.sequence(),
            checkpoint.treeSize(), checkpoint.root(), checkpoint.time().plusMillis(1)), good.checkpoint().get().signature())).build()),
        "BAD_SIGNATURE");
    LogPosition position = built.get(1).conversation().orElseThrow();
    List<Hash32> logPath = new ArrayList<>(position.proof().path());
    logPath.set(0, MerklePropertyTest.flip(logPath.get(0), 7));
    addVerdict(invalid, "modified-conversation-path[0]-bit-7", 1, proof(built.get(1).toBuilder().conversation(new LogPosition(
        new InclusionProof(position.index(), position.proof().treeSize(), logPath), position.root())).build()), "BAD_PROOF");
  }

  private static void addProofFormatErrors(ArrayNode invalid, String goodText, String sealedText, MessageProof good) {
    String contract = CONTRACT.checksummed();
    String badChecksum = contract.substring(0, 3) + Character.toLowerCase(contract.charAt(3)) + contract.substring(4);
    addFormat(invalid, "proof", "trailing-garbage", goodText + "]", "");
    addFormat(invalid, "proof", "unknown-field", goodText.replaceFirst("\\{", "{\"note\":\"x\","), "note");
    addFormat(invalid, "proof", "duplicate-key", goodText.replaceFirst("\\{", "{\"version\":1,"), "");
    addFormat(invalid, "proof", "nesting-deeper-than-16", goodText.replace("\"path\":[", "\"path\":" + "[".repeat(16))
        .replaceFirst("\\]", "]".repeat(16)), "");
    addFormat(invalid, "proof", "document-over-65536-bytes", goodText + " ".repeat(65_537 - goodText.length()), "");
    addFormat(invalid, "proof", "not-an-object", "[" + goodText + "]", "");
    addFormat(invalid, "proof", "utf-8-byte-order-mark", "\ufeff" + goodText, "");
    addFormat(invalid, "proof", "version-2", goodText.replace("\"version\":1", "\"version\":2"), "version");
    addFormat(invalid, "proof", "unknown-hash-algorithm", goodText.replace("\"sha-256\"", "\"sha-512\""), "hashAlgorithm");
    addFormat(invalid, "proof", "short-commitment", goodText.replace(good.commitment().hex(), good.commitment().hex().substring(1)),
        "commitment");
    addFormat(invalid, "proof", "commitment-not-hex", goodText.replace(good.commitment().hex(),
        "zz" + good.commitment().hex().substring(2)), "commitment");
    addFormat(invalid, "proof", "missing-root", goodText.replace("\"root\":\"" + good.root().hex() + "\",", ""), "batch.root");
    addFormat(invalid, "proof", "null-root", goodText.replace("\"root\":\"" + good.root().hex() + "\"", "\"root\":null"),
        "batch.root");
    addFormat(invalid, "proof", "index-not-below-size", goodText.replace("\"leafIndex\":2", "\"leafIndex\":5"), "batch.leafIndex");
    addFormat(invalid, "proof", "tree-size-0", goodText.replace("\"treeSize\":5,\"root\"", "\"treeSize\":0,\"root\""),
        "batch.treeSize");
    addFormat(invalid, "proof", "fractional-integer", goodText.replace("\"leafIndex\":2", "\"leafIndex\":2.0"), "batch.leafIndex");
    addFormat(invalid, "proof", "exponent-integer", goodText.replace("\"leafIndex\":2", "\"leafIndex\":2e0"), "batch.leafIndex");
    addFormat(invalid, "proof", "negative-integer", goodText.replace("\"leafIndex\":2", "\"leafIndex\":-2"), "batch.leafIndex");
    addFormat(invalid, "proof", "integer-as-string", goodText.replace("\"leafIndex\":2", "\"leafIndex\":\"2\""), "batch.leafIndex");
    addFormat(invalid, "proof", "integer-above-2^63-1", goodText.replace("\"blockNumber\":7", "\"blockNumber\":9223372036854775808"),
        "anchor.blockNumber");
    addFormat(invalid, "proof", "leading-zero-integer", goodText.replace("\"leafIndex\":2", "\"leafIndex\":02"), "");
    String sixtyFive = "\"" + "ab".repeat(32) + "\",";
    addFormat(invalid, "proof", "path-over-64-hashes", goodText.replace("\"path\":[", "\"path\":[" + sixtyFive.repeat(65)),
        "batch.path");
    addFormat(invalid, "proof", "signature-wrong-length", goodText.replace(good.signature().orElseThrow().valueHex(),
        good.signature().orElseThrow().valueHex().substring(2)), "signature.value");
    addFormat(invalid, "proof", "signer-unknown-scheme", goodText.replace("\"eip191:", "\"rsa:"), "signature.signer");
    addFormat(invalid, "proof", "anchor-contract-bad-eip55", goodText.replace("\"contract\":\"" + contract,
        "\"contract\":\"" + badChecksum), "anchor.contract");
    addFormat(invalid, "proof", "anchor-contract-without-0x", goodText.replace("\"contract\":\"" + contract,
        "\"contract\":\"" + contract.substring(2)), "anchor.contract");
    addFormat(invalid, "proof", "anchor-chain-id-0", goodText.replace("\"chainId\":31337,\"contract\":\"" + contract
        + "\",\"transactionHash\"", "\"chainId\":0,\"contract\":\"" + contract + "\",\"transactionHash\""), "anchor.chainId");
    addFormat(invalid, "proof", "checkpoint-time-with-offset", sealedText.replace("2026-11-24T09:00:05Z", "2026-11-24T10:00:05+01:00"),
        "checkpoint.time");
    addFormat(invalid, "proof", "checkpoint-time-lower-case-z", sealedText.replace("2026-11-24T09:00:05Z", "2026-11-24T09:00:05z"),
        "checkpoint.time");
    addFormat(invalid, "proof", "checkpoint-time-leap-second", sealedText.replace("2026-11-24T09:00:05Z", "2026-12-31T23:59:60Z"),
        "checkpoint.time");
    addFormat(invalid, "proof", "checkpoint-time-without-seconds", sealedText.replace("2026-11-24T09:00:05Z", "2026-11-24T09:00Z"),
        "checkpoint.time");
    addFormat(invalid, "proof", "checkpoint-signature-wrong-length", sealedText.replaceFirst("(\"signature\":\"[0-9a-f]{128})[0-9a-f]{2}\"",
        "$1\""), "checkpoint.signature");
    addFormat(invalid, "proof", "checkpoint-sequence-0", sealedText.replace("\"sequence\":7", "\"sequence\":0"), "checkpoint");
  }

  private static void addEnvelopeFormatErrors(ArrayNode invalid) throws Exception {
    String base = "{\"conversationId\":\"room-42\",\"messageId\":\"x\",\"senderId\":\"a\",\"timestamp\":\"2026-11-24T09:00:00Z\",";
    String salt = ",\"salt\":\"" + Fixtures.salt(0).toHex() + "\"}";
    addFormat(invalid, "message-file", "base64-without-padding", "{\"envelope\":" + base + "\"content\":{\"base64\":\"AAECAw\"}}" + salt,
        "envelope.content.base64");
    addFormat(invalid, "message-file", "base64-url-alphabet", "{\"envelope\":" + base + "\"content\":{\"base64\":\"_-8=\"}}" + salt,
        "envelope.content.base64");
    addFormat(invalid, "message-file", "base64-nonzero-pad-bits", "{\"envelope\":" + base + "\"content\":{\"base64\":\"AAECAx==\"}}"
        + salt, "envelope.content.base64");
    addFormat(invalid, "message-file", "timestamp-with-offset", "{\"envelope\":" + base.replace("09:00:00Z", "09:00:00+00:00")
        + "\"content\":{\"text\":\"x\"}}" + salt, "envelope.timestamp");
    addFormat(invalid, "message-file", "two-content-kinds", "{\"envelope\":" + base
        + "\"content\":{\"text\":\"x\",\"base64\":\"eA==\"}}" + salt, "envelope.content");
    addFormat(invalid, "message-file", "header-name-with-space", "{\"envelope\":" + base
        + "\"content\":{\"text\":\"x\"},\"headers\":{\"a b\":\"c\"}}" + salt, "envelope.headers.a b");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      many.append(i == 0 ? "" : ",").append("\"h").append(i).append("\":\"v\"");
    }
    addFormat(invalid, "message-file", "65-headers", "{\"envelope\":" + base + "\"content\":{\"text\":\"x\"},\"headers\":{"
        + many + "}}" + salt, "envelope.headers.h64");
    addFormat(invalid, "message-file", "unpaired-surrogate", "{\"envelope\":" + base + "\"content\":{\"text\":\"\\ud800\"}}" + salt,
        "envelope.content.text");
    addFormat(invalid, "message-file", "empty-message-id", "{\"envelope\":" + base.replace("\"messageId\":\"x\"", "\"messageId\":\"\"")
        + "\"content\":{\"text\":\"x\"}}" + salt, "envelope.messageId");
    addFormat(invalid, "message-file", "salt-31-bytes", "{\"envelope\":" + base + "\"content\":{\"text\":\"x\"}},\"salt\":\""
        + Fixtures.salt(0).toHex().substring(2) + "\"}", "salt");
    addFormat(invalid, "message-file", "sender-key-bad-eip55", "{\"envelope\":" + base.replace("\"timestamp\"",
        "\"senderKey\":\"eip191:0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266\",\"timestamp\"") + "\"content\":{\"text\":\"x\"}}" + salt,
        "envelope.senderKey");
  }

  private static JsonNode proof(MessageProof proof) throws Exception {
    return JSON.readTree(ProofCodec.toJson(proof));
  }

  private static void addVerdict(ArrayNode invalid, String name, int message, JsonNode proof, String status) {
    ObjectNode node = invalid.addObject();
    node.put("name", name);
    node.put("message", message);
    node.set("proof", proof);
    node.put("status", status);
  }

  private static void addFormat(ArrayNode invalid, String kind, String name, String document, String field) {
    ObjectNode node = invalid.addObject();
    node.put("name", name);
    node.put("kind", kind);
    node.put("document", document);
    node.put("formatErrorField", field);
  }

  @Test
  void committedVectorsMatchWhatThisImplementationProduces() throws Exception {
    String generated = JSON.writeValueAsString(generate()) + "\n";
    if (Boolean.getBoolean("chainseal.updateVectors")) {
      Files.writeString(FILE, generated);
    }
    assertTrue(Files.exists(FILE), "missing " + FILE + " (run with -Dchainseal.updateVectors=true)");
    assertEquals(generated, Files.readString(FILE), FILE + " drifted from the implementation");
  }

  @Test
  void everyVectorChecksOutFromTheFileAlone() throws Exception {
    JsonNode vectors = JSON.readTree(Files.readString(FILE));
    byte[] tag = HexFormat.of().parseHex(vectors.get("commitmentTag").asText());
    List<MessageEnvelope> envelopes = new ArrayList<>();
    List<Salt> salts = new ArrayList<>();
    for (JsonNode message : vectors.get("messages")) {
      MessageEnvelope envelope = EnvelopeCodec.parse(JSON.writeValueAsString(message.get("envelope")));
      assertArrayEquals(HexFormat.of().parseHex(message.get("canonicalBytes").asText()), envelope.canonicalBytes());
      Salt salt = Salt.fromHex(message.get("salt").asText());
      byte[] record = MessageEnvelopeTest.concat(tag, salt.bytes(), envelope.canonicalBytes());
      assertEquals(message.get("commitment").asText(), Hash32.of(NaiveMerkle.sha256(record)).hex());
      envelopes.add(envelope);
      salts.add(salt);
    }
    for (JsonNode input : vectors.get("normalization")) {
      String name = input.get("name").asText();
      MessageEnvelope envelope = EnvelopeCodec.parse(input.get("inputJson").asText());
      assertEquals(input.get("canonicalBytes").asText(), HexFormat.of().formatHex(envelope.canonicalBytes()), name);
      assertEquals(input.get("commitment").asText(), envelope.commit(Salt.fromHex(input.get("salt").asText())).hex(), name);
      assertEquals(input.get("normalizedEnvelope"), JSON.readTree(EnvelopeCodec.toJson(envelope)), name);
      assertTrue(!input.get("inputJson").asText().equals(COMPACT.writeValueAsString(input.get("normalizedEnvelope"))),
          name + " must need normalizing");
    }
    JsonNode proofs = vectors.get("batch").get("proofs");
    List<MessageProof> parsed = new ArrayList<>();
    for (int i = 0; i < envelopes.size(); i++) {
      MessageProof proof = ProofCodec.parse(JSON.writeValueAsString(proofs.get(i)));
      parsed.add(proof);
      assertEquals(vectors.get("batch").get("root").asText(), proof.root().hex());
      VerificationResult result = OfflineVerifier.create().verify(envelopes.get(i), salts.get(i), proof);
      JsonNode expected = vectors.get("batch").get("expected").get(i);
      assertEquals(expected.get("status").asText(), result.status().name(), "message " + i + ": " + result.reason());
      assertEquals(expected.get("senderBinding").asText(), result.senderBinding().orElseThrow().name(), "message " + i);
    }
    for (JsonNode vector : vectors.get("checkpoints")) {
      JsonNode fields = vector.get("checkpoint");
      Checkpoint checkpoint = new Checkpoint(fields.get("chainId").asLong(), EvmAddress.fromHex(fields.get("contract").asText()),
          EvmAddress.fromHex(fields.get("publisher").asText()), fields.get("sequence").asLong(), fields.get("treeSize").asLong(),
          Hash32.fromHex(fields.get("root").asText()), Instant.parse(fields.get("time").asText()));
      String name = vector.get("name").asText();
      assertEquals(vector.get("encoded").asText(), HexFormat.of().formatHex(checkpoint.encode()), name);
      assertEquals(vector.get("digest").asText(), Hash32.of(NaiveMerkle.sha256(checkpoint.encode())).hex(), name);
      SignedCheckpoint signed = new SignedCheckpoint(checkpoint, MessageSignature.of(SignerId.ofAddress(checkpoint.publisher()),
          HexFormat.of().parseHex(vector.get("signature").asText())));
      assertTrue(signed.verifySignature().valid(), name);
    }
    for (JsonNode vector : vectors.get("erased")) {
      MessageProof proof = ProofCodec.parse(JSON.writeValueAsString(vector.get("proof")));
      assertTrue(proof.signature().isEmpty() && proof.conversation().isEmpty(), "an erased proof names no sender");
      assertEquals(vector.get("status").asText(), OfflineVerifier.create().verifyErased(proof).status().name(),
          vector.get("name").asText());
    }
    for (JsonNode vector : vectors.get("equivalentForms")) {
      MessageProof proof = ProofCodec.parse(vector.get("document").asText().getBytes(StandardCharsets.UTF_8));
      assertEquals(parsed.get(vector.get("sameAsProof").asInt()), proof, vector.get("name").asText());
    }
    for (JsonNode bad : vectors.get("invalid")) {
      String name = bad.get("name").asText();
      if (bad.has("status")) {
        int message = bad.get("message").asInt();
        MessageProof proof = ProofCodec.parse(JSON.writeValueAsString(bad.get("proof")));
        VerificationResult result = OfflineVerifier.create().verify(envelopes.get(message), salts.get(message), proof);
        assertEquals(bad.get("status").asText(), result.status().name(), name + ": " + result.reason());
      } else {
        byte[] document = bad.get("document").asText().getBytes(StandardCharsets.UTF_8);
        FormatException e = assertThrows(FormatException.class, () -> {
          if (bad.get("kind").asText().equals("proof")) {
            ProofCodec.parse(document);
          } else {
            EnvelopeCodec.parseSalted(document);
          }
        }, name);
        assertEquals(bad.get("formatErrorField").asText(), e.field(), name + ": " + e.getMessage());
      }
    }
  }
}
