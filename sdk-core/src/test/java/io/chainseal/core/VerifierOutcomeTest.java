package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a verdict says beyond its status: whether the signature binds the message to its sender, under
 * each {@link SignaturePolicy}; and that an erased message's reduced proof no longer names its sender.
 */
class VerifierOutcomeTest {
  private static final SigningKey ALICE = Fixtures.secp256k1();
  private static final SigningKey OTHER = Fixtures.ed25519();

  private static MessageProof proof(MessageEnvelope envelope, Salt salt, MessageSignature signature) {
    Hash32 commitment = envelope.commit(salt);
    return MessageProof.builder().commitment(commitment).inclusion(MerkleTree.ofLeafHashes(List.of(commitment)).inclusionProof(0))
        .root(commitment).signature(signature).build();
  }

  @Test
  void everyVerdictSaysWhetherTheSenderSigned() {
    Salt salt = Fixtures.salt(1);
    MessageEnvelope declared = Fixtures.message("m", "hi").toBuilder().senderKey(ALICE.id()).build();
    MessageEnvelope undeclared = Fixtures.message("m", "hi");
    OfflineVerifier optional = OfflineVerifier.create();
    OfflineVerifier senderKey = OfflineVerifier.withPolicy(SignaturePolicy.REQUIRE_SENDER_KEY);
    OfflineVerifier signed = OfflineVerifier.withPolicy(SignaturePolicy.REQUIRE_SIGNED);

    VerificationResult bySender = optional.verify(declared, salt, proof(declared, salt, ALICE.sign(declared.commit(salt))));
    assertEquals(VerificationStatus.VERIFIED_OFFLINE, bySender.status());
    assertEquals(SenderBinding.SENDER_KEY, bySender.senderBinding().orElseThrow());
    assertEquals(ALICE.id(), bySender.signer().orElseThrow());
    assertEquals(VerificationStatus.VERIFIED_OFFLINE,
        senderKey.verify(declared, salt, proof(declared, salt, ALICE.sign(declared.commit(salt)))).status());

    MessageProof unboundProof = proof(undeclared, salt, OTHER.sign(undeclared.commit(salt)));
    VerificationResult unbound = optional.verify(undeclared, salt, unboundProof);
    assertEquals(VerificationStatus.VERIFIED_OFFLINE, unbound.status());
    assertEquals(SenderBinding.UNDECLARED_KEY, unbound.senderBinding().orElseThrow());
    assertEquals(VerificationStatus.VERIFIED_OFFLINE, signed.verify(undeclared, salt, unboundProof).status());
    VerificationResult strict = senderKey.verify(undeclared, salt, unboundProof);
    assertEquals(VerificationStatus.BAD_SIGNATURE, strict.status(), strict.reason());
    assertEquals(SenderBinding.UNDECLARED_KEY, strict.senderBinding().orElseThrow());

    VerificationResult wrongKey = optional.verify(declared, salt, proof(declared, salt, OTHER.sign(declared.commit(salt))));
    assertEquals(VerificationStatus.BAD_SIGNATURE, wrongKey.status());
    assertEquals(SenderBinding.WRONG_KEY, wrongKey.senderBinding().orElseThrow());

    MessageProof unsignedProof = proof(declared, salt, ALICE.sign(declared.commit(salt))).toBuilder().signature(null).build();
    VerificationResult unsigned = optional.verify(declared, salt, unsignedProof);
    assertEquals(VerificationStatus.VERIFIED_OFFLINE, unsigned.status());
    assertEquals(SenderBinding.UNSIGNED, unsigned.senderBinding().orElseThrow());
    assertTrue(unsigned.signer().isEmpty());
    assertEquals(VerificationStatus.BAD_SIGNATURE, signed.verify(declared, salt, unsignedProof).status());
    assertEquals(VerificationStatus.BAD_SIGNATURE, senderKey.verify(declared, salt, unsignedProof).status());
  }

  @Test
  void redactedErasedProofKeepsTheBatchAndDropsTheSender() {
    Salt salt = Fixtures.salt(3);
    MessageEnvelope envelope = Fixtures.message("m", "erase me").toBuilder().senderKey(ALICE.id()).build();
    Checkpoint checkpoint = new Checkpoint(31337, EvmAddress.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
        ALICE.id().address(), 1, 1, envelope.commit(salt), Instant.parse("2026-11-24T09:00:00Z"));
    MessageProof full = proof(envelope, salt, ALICE.sign(envelope.commit(salt))).toBuilder()
        .conversation(new LogPosition(MerkleTree.ofLeafHashes(List.of(envelope.commit(salt))).inclusionProof(0), envelope.commit(salt)))
        .checkpoint(checkpoint.sign(ALICE)).build();
    MessageProof sealedErased = full.redactedForErasure();
    assertTrue(sealedErased.signature().isEmpty() && sealedErased.conversation().isEmpty());
    assertTrue(sealedErased.checkpoint().isPresent(), "a sealed proof keeps its checkpoint: it is all that vouches for it");
    AnchorReference anchor = new AnchorReference(31337, checkpoint.contract(), Hash32.fromHex("44".repeat(32)), 7, 0);
    MessageProof anchoredErased = full.toBuilder().anchor(anchor).build().redactedForErasure();
    assertTrue(anchoredErased.checkpoint().isEmpty(), "once anchored, the checkpoint's seal time goes too");
    assertEquals(anchor, anchoredErased.anchor().orElseThrow());
    VerificationResult result = OfflineVerifier.create().verifyErased(sealedErased);
    assertEquals(VerificationStatus.VERIFIED_OFFLINE, result.status(), result.reason());
    assertTrue(result.senderBinding().isEmpty(), "nothing names a sender");
    assertTrue(!ProofCodec.toJson(anchoredErased).contains(ALICE.id().address().checksummed()),
        "the reduced proof names no key of the sender");
  }
}
