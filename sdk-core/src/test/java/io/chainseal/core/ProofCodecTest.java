package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProofCodecTest {
  private static final OfflineVerifierTest.Batch BATCH = new OfflineVerifierTest.Batch(Fixtures.secp256k1());
  private static final MessageProof PROOF = BATCH.proofs.get(3).toBuilder()
      .anchor(new AnchorReference(31337, EvmAddress.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
          Hash32.fromHex("ab".repeat(32)), 12, 0, Hash32.fromHex("cd".repeat(32))))
      .checkpoint(CheckpointTest.checkpoint(4, BATCH.proofs.get(3).root(), 5).sign(Fixtures.secp256k1()))
      .build();
  private static final String JSON = ProofCodec.toJson(PROOF);

  @Test
  void roundTripsEveryField() throws Exception {
    MessageProof parsed = ProofCodec.parse(JSON);
    assertEquals(PROOF, parsed);
    assertEquals(JSON, ProofCodec.toJson(parsed));
    assertEquals(PROOF, ProofCodec.parse(new ByteArrayInputStream(JSON.getBytes(StandardCharsets.UTF_8))));
    MessageProof minimal = PROOF.toBuilder().signature(null).conversation(null).anchor(null).checkpoint(null).build();
    assertEquals(minimal, ProofCodec.parse(ProofCodec.toJson(minimal)));
  }

  @Test
  void envelopesRoundTripWithTheSameCommitment() throws Exception {
    MessageEnvelope full = BATCH.envelopes.get(0).toBuilder()
        .attachment(Hash32.fromHex("cd".repeat(32)))
        .replyTo(new MessageRef("room-42", "m-0"))
        .forwardedFrom(new MessageRef("room-1", "x"))
        .header("lang", "fr").build();
    MessageEnvelope binary = full.toBuilder().content(new byte[] {(byte) 0xff, 0, 1}).build();
    MessageEnvelope digest = full.toBuilder().contentDigest(Hash32.fromHex("ef".repeat(32))).build();
    for (MessageEnvelope envelope : new MessageEnvelope[] {full, binary, digest}) {
      MessageEnvelope parsed = EnvelopeCodec.parse(EnvelopeCodec.toJson(envelope));
      assertEquals(envelope.commit(Fixtures.salt(1)), parsed.commit(Fixtures.salt(1)));
    }
    assertTrue(EnvelopeCodec.toJson(binary).contains("\"base64\""));
  }

  static Stream<Arguments> malformed() {
    String valid = JSON;
    return Stream.of(
        Arguments.of("empty document", "", ""),
        Arguments.of("not json", "proof please", ""),
        Arguments.of("top level array", "[]", ""),
        Arguments.of("trailing garbage", valid + "{}", ""),
        Arguments.of("duplicate key", valid.replaceFirst("\\{", "{\"version\": 1,"), ""),
        Arguments.of("unknown field", valid.replaceFirst("\\{", "{\"extra\": 1,"), "extra"),
        Arguments.of("version 2", valid.replace("\"version\" : 1", "\"version\" : 2"), "version"),
        Arguments.of("version as string", valid.replace("\"version\" : 1", "\"version\" : \"1\""), "version"),
        Arguments.of("unknown hash algorithm", valid.replace("sha-256", "md5"), "hashAlgorithm"),
        Arguments.of("short commitment", valid.replace(PROOF.commitment().hex(), PROOF.commitment().hex().substring(2)), "commitment"),
        Arguments.of("non-hex commitment", valid.replace(PROOF.commitment().hex(), "zz" + PROOF.commitment().hex().substring(2)), "commitment"),
        Arguments.of("fractional index", valid.replace("\"leafIndex\" : 3", "\"leafIndex\" : 3.5"), "batch.leafIndex"),
        Arguments.of("negative index", valid.replace("\"leafIndex\" : 3", "\"leafIndex\" : -3"), "batch.leafIndex"),
        Arguments.of("huge index", valid.replace("\"leafIndex\" : 3", "\"leafIndex\" : 99999999999999999999999"), "batch.leafIndex"),
        Arguments.of("index beyond size", valid.replace("\"leafIndex\" : 3", "\"leafIndex\" : 5"), "batch.leafIndex"),
        Arguments.of("zero size", valid.replace("\"treeSize\" : 5", "\"treeSize\" : 0"), "batch.treeSize"),
        Arguments.of("missing root", valid.replaceFirst("\"root\" : \"[0-9a-f]+\",", ""), "batch.root"),
        Arguments.of("path not an array", valid.replaceFirst("\"path\" : \\[[^\\]]*\\]", "\"path\" : \"x\""), "batch.path"),
        Arguments.of("path element number", valid.replaceFirst("\"path\" : \\[", "\"path\" : [ 7,"), "batch.path[0]"),
        Arguments.of("path too long", valid.replaceFirst("\"path\" : \\[", "\"path\" : [" + ("\"" + "00".repeat(32) + "\",").repeat(65)), "batch.path"),
        Arguments.of("bad signer", valid.replace("eip191:", "rsa:"), "signature.signer"),
        Arguments.of("bad checksum", valid.replace("eip191:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "eip191:0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), "signature.signer"),
        Arguments.of("short signature", valid.replaceFirst("\"value\" : \"([0-9a-f]{2})", "\"value\" : \""), "signature.value"),
        Arguments.of("zero chain id", valid.replace("\"chainId\" : 31337", "\"chainId\" : 0"), "anchor.chainId"),
        Arguments.of("bad contract", valid.replace("0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x5FbDB2315678afecb367f032d93F642f64180aa"), "anchor.contract"),
        Arguments.of("null batch", valid.replaceFirst("\"batch\" : \\{", "\"batch\" : null, \"x\" : {"), "x"),
        Arguments.of("deep nesting", "{\"a\":" + "[".repeat(100_000), ""),
        Arguments.of("oversized", "{\"pad\":\"" + "x".repeat(ProofCodec.MAX_DOCUMENT_BYTES) + "\"}", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedDocumentsAreTypedErrorsNamingTheField(String name, String json, String field) {
    FormatException e = assertThrows(FormatException.class, () -> ProofCodec.parse(json), name);
    assertEquals(field, e.field(), name + ": " + e.getMessage());
  }

  @Test
  void documentsAreUtf8WithoutByteOrderMark() throws Exception {
    byte[] utf8 = JSON.getBytes(StandardCharsets.UTF_8);
    ProofCodec.parse(utf8);
    FormatException utf16 = assertThrows(FormatException.class, () -> ProofCodec.parse(JSON.getBytes(StandardCharsets.UTF_16BE)));
    assertTrue(utf16.getMessage().contains("UTF-8"), utf16.getMessage());
    assertThrows(FormatException.class, () -> ProofCodec.parse(JSON.getBytes(StandardCharsets.UTF_16LE)));
    assertThrows(FormatException.class, () -> ProofCodec.parse(("\ufeff" + JSON).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void fuzzedDocumentsOnlyEverGiveTypedErrorsOrVerdicts() {
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      Random random = new Random(6962);
      byte[] valid = JSON.getBytes(StandardCharsets.UTF_8);
      int parsed = 0;
      for (int i = 0; i <= valid.length; i++) {
        parsed += tryParse(java.util.Arrays.copyOf(valid, i));
      }
      for (int round = 0; round < 20_000; round++) {
        byte[] mutated = mutate(valid, random);
        parsed += tryParse(mutated);
      }
      assertTrue(parsed > 0, "some mutations should still parse (whitespace, equal digits)");
    });
  }

  private static int tryParse(byte[] document) {
    MessageProof proof;
    try {
      proof = ProofCodec.parse(document);
    } catch (FormatException expected) {
      return 0;
    } catch (Throwable t) {
      fail("unexpected " + t + " for " + new String(document, StandardCharsets.UTF_8), t);
      return 0;
    }
    VerificationResult result = OfflineVerifier.create().verify(BATCH.envelopes.get(3), BATCH.salts.get(3), proof);
    VerificationResult erased = OfflineVerifier.create().verifyErased(proof);
    // Hostile input is a verdict on the proof, never a failure of the verifier itself.
    assertNotEquals(VerificationStatus.VERIFIER_ERROR, result.status(), result.reason());
    assertNotEquals(VerificationStatus.VERIFIER_ERROR, erased.status(), erased.reason());
    return 1;
  }

  private static byte[] mutate(byte[] valid, Random random) {
    byte[] out = valid.clone();
    switch (random.nextInt(5)) {
      case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> out[random.nextInt(out.length)] = (byte) "{}[]\",:0123456789abcdefx-. \\".charAt(random.nextInt(28));
      case 2 -> {
        int from = random.nextInt(out.length);
        int to = Math.min(out.length, from + random.nextInt(40));
        byte[] shorter = new byte[out.length - (to - from)];
        System.arraycopy(out, 0, shorter, 0, from);
        System.arraycopy(out, to, shorter, from, out.length - to);
        out = shorter;
      }
      case 3 -> {
        int at = random.nextInt(out.length);
        int length = Math.min(out.length - at, 1 + random.nextInt(60));
        byte[] longer = new byte[out.length + length];
        System.arraycopy(out, 0, longer, 0, at + length);
        System.arraycopy(out, at, longer, at + length, out.length - at);
        out = longer;
      }
      default -> {
        for (int k = 0; k < 1 + random.nextInt(8); k++) {
          out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
      }
    }
    return out;
  }

  @Test
  void messageFilesRoundTripAndNameBadFields() throws Exception {
    SaltedEnvelope message = new SaltedEnvelope(BATCH.envelopes.get(1), BATCH.salts.get(1));
    String json = EnvelopeCodec.toJson(message);
    SaltedEnvelope parsed = EnvelopeCodec.parseSalted(json.getBytes(StandardCharsets.UTF_8));
    assertEquals(message.envelope().commit(message.salt()), parsed.envelope().commit(parsed.salt()));
    assertEquals("salt", assertThrows(FormatException.class, () -> EnvelopeCodec.parseSalted(
        json.replace(message.salt().toHex(), "00").getBytes(StandardCharsets.UTF_8))).field());
    assertEquals("envelope.timestamp", assertThrows(FormatException.class, () -> EnvelopeCodec.parseSalted(
        json.replace("2026-11-24T09:00:00.123Z", "soon").getBytes(StandardCharsets.UTF_8))).field());
  }

  @Test
  void malformedEnvelopesAreTypedErrors() {
    String valid = EnvelopeCodec.toJson(BATCH.envelopes.get(0));
    assertEquals("timestamp", assertThrows(FormatException.class,
        () -> EnvelopeCodec.parse(valid.replace("2026-11-24T09:00:00.123Z", "yesterday"))).field());
    assertEquals("content", assertThrows(FormatException.class,
        () -> EnvelopeCodec.parse(valid.replace("\"content\" : {", "\"content\" : { \"sha256\" : \"00\","))).field());
    assertEquals("conversationId", assertThrows(FormatException.class,
        () -> EnvelopeCodec.parse(valid.replace("\"room-42\"", "\"\""))).field());
    assertEquals("senderKey", assertThrows(FormatException.class,
        () -> EnvelopeCodec.parse(valid.replace("eip191:", "eip191:0x00"))).field());
    Random random = new Random(8785);
    byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
    for (int round = 0; round < 5_000; round++) {
      byte[] mutated = mutate(bytes, random);
      try {
        EnvelopeCodec.parse(mutated);
      } catch (FormatException expected) {
        // typed error: fine
      } catch (Throwable t) {
        fail("unexpected " + t + " for " + new String(mutated, StandardCharsets.UTF_8), t);
      }
    }
  }
}
