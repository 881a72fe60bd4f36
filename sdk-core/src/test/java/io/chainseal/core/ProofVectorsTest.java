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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published proof-format test vectors, {@code docs/vectors/proof-v1.json}: envelope → canonical
 * bytes → commitment → root → proof JSON, plus named corruptions and their verdicts. This test
 * regenerates them and fails if the committed file differs (run with
 * {@code -Dchainseal.updateVectors=true} to rewrite it after a deliberate format change), then checks
 * every vector independently from the file, as another implementation would.
 */
class ProofVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path FILE = Path.of(System.getProperty("chainseal.root", ".."), "docs", "vectors", "proof-v1.json");

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
    MerkleTree tree = MerkleTree.ofLeafHashes(commitments);
    ConversationLog log = ConversationLog.restore("room-42", commitments.subList(0, 4));
    ObjectNode batch = root.putObject("batch");
    batch.put("root", tree.root().hex());
    ArrayNode proofs = batch.putArray("proofs");
    for (int i = 0; i < envelopes.size(); i++) {
      MessageProof.Builder proof = MessageProof.builder().commitment(commitments.get(i))
          .inclusion(tree.inclusionProof(i)).root(tree.root());
      if (i == 2) {
        proof.signature(Fixtures.secp256k1().sign(commitments.get(i)));
      }
      if (i == 3) {
        proof.signature(Fixtures.ed25519().sign(commitments.get(i)));
      }
      if (i < 4) {
        proof.conversation(new LogPosition(log.inclusionProof(i, 4), log.checkpoint().root()));
      }
      if (i == 1) {
        proof.checkpoint(new Checkpoint(31337, EvmAddress.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
            Fixtures.secp256k1().id().address(), 7, envelopes.size(), tree.root(), Instant.parse("2026-11-24T09:00:05Z"))
            .sign(Fixtures.secp256k1()));
      }
      if (i == 0) {
        proof.anchor(new AnchorReference(31337, EvmAddress.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
            Hash32.fromHex("44".repeat(32)), 7, 0, Hash32.fromHex("55".repeat(32))));
      }
      proofs.add(JSON.readTree(ProofCodec.toJson(proof.build())));
    }
    ArrayNode invalid = root.putArray("invalid");
    MessageProof good = ProofCodec.parse(JSON.writeValueAsString(proofs.get(2)));
    addVerdict(invalid, "wrong-leaf: proof of message 2 checked against message 1", 1, proofs.get(2), "TAMPERED");
    List<Hash32> path = new ArrayList<>(good.inclusion().path());
    path.set(0, MerklePropertyTest.flip(path.get(0), 3));
    addVerdict(invalid, "modified-path[0]-bit-3", 2, proof(good.toBuilder().inclusion(new InclusionProof(2, 5, path)).build()), "BAD_PROOF");
    addVerdict(invalid, "wrong-index", 2, proof(good.toBuilder().inclusion(new InclusionProof(1, 5, good.inclusion().path())).build()), "BAD_PROOF");
    addVerdict(invalid, "modified-root-bit-0", 2, proof(good.toBuilder().root(MerklePropertyTest.flip(good.root(), 0)).build()), "BAD_PROOF");
    byte[] signature = good.signature().orElseThrow().value();
    signature[10] ^= 1;
    addVerdict(invalid, "modified-signature-bit-0-of-byte-10", 2,
        proof(good.toBuilder().signature(MessageSignature.of(good.signature().get().signer(), signature)).build()), "BAD_SIGNATURE");
    addVerdict(invalid, "signature-by-someone-else", 2,
        proof(good.toBuilder().signature(Fixtures.ed25519().sign(good.commitment())).build()), "BAD_SIGNATURE");
    String goodText = new ObjectMapper().writeValueAsString(proofs.get(2));
    addFormat(invalid, "trailing-garbage", goodText + "]", "");
    addFormat(invalid, "unknown-field", goodText.replaceFirst("\\{", "{\"note\":\"x\","), "note");
    addFormat(invalid, "version-2", goodText.replace("\"version\":1", "\"version\":2"), "version");
    addFormat(invalid, "short-commitment", goodText.replace(good.commitment().hex(), good.commitment().hex().substring(1)), "commitment");
    addFormat(invalid, "index-not-below-size", goodText.replace("\"leafIndex\":2", "\"leafIndex\":5"), "batch.leafIndex");
    return root;
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

  private static void addFormat(ArrayNode invalid, String name, String document, String field) {
    ObjectNode node = invalid.addObject();
    node.put("name", name);
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
    List<MessageEnvelope> envelopes = new ArrayList<>();
    List<Salt> salts = new ArrayList<>();
    for (JsonNode message : vectors.get("messages")) {
      MessageEnvelope envelope = EnvelopeCodec.parse(JSON.writeValueAsString(message.get("envelope")));
      assertArrayEquals(HexFormat.of().parseHex(message.get("canonicalBytes").asText()), envelope.canonicalBytes());
      Salt salt = Salt.fromHex(message.get("salt").asText());
      byte[] record = MessageEnvelopeTest.concat(HexFormat.of().parseHex(vectors.get("commitmentTag").asText()),
          salt.bytes(), envelope.canonicalBytes());
      assertEquals(message.get("commitment").asText(), Hash32.of(NaiveMerkle.sha256(record)).hex());
      envelopes.add(envelope);
      salts.add(salt);
    }
    JsonNode proofs = vectors.get("batch").get("proofs");
    for (int i = 0; i < envelopes.size(); i++) {
      MessageProof proof = ProofCodec.parse(JSON.writeValueAsString(proofs.get(i)));
      assertEquals(vectors.get("batch").get("root").asText(), proof.root().hex());
      VerificationResult result = OfflineVerifier.create().verify(envelopes.get(i), salts.get(i), proof);
      assertEquals(VerificationStatus.VERIFIED_OFFLINE, result.status(), "message " + i + ": " + result.reason());
    }
    for (JsonNode bad : vectors.get("invalid")) {
      String name = bad.get("name").asText();
      if (bad.has("status")) {
        int message = bad.get("message").asInt();
        MessageProof proof = ProofCodec.parse(JSON.writeValueAsString(bad.get("proof")));
        VerificationResult result = OfflineVerifier.create().verify(envelopes.get(message), salts.get(message), proof);
        assertEquals(bad.get("status").asText(), result.status().name(), name + ": " + result.reason());
      } else {
        FormatException e = assertThrows(FormatException.class,
            () -> ProofCodec.parse(bad.get("document").asText().getBytes(StandardCharsets.UTF_8)), name);
        assertEquals(bad.get("formatErrorField").asText(), e.field(), name);
      }
    }
  }
}
