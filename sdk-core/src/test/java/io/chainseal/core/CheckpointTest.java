package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private static final EvmAddress CONTRACT = EvmAddress.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  private static final SigningKey OPERATOR = Fixtures.secp256k1();

  static Checkpoint checkpoint(long sequence, Hash32 root, long size) {
    return new Checkpoint(31337, CONTRACT, OPERATOR.id().address(), sequence, size, root, Instant.parse("2026-11-24T10:00:00.5Z"));
  }

  @Test
  void signedCheckpointsVerifyAndForgeriesDoNot() {
    SignedCheckpoint signed = checkpoint(3, Hash32.fromHex("aa".repeat(32)), 10).sign(OPERATOR);
    assertTrue(signed.verifySignature().valid());
    SignedCheckpoint byOther = checkpoint(3, Hash32.fromHex("aa".repeat(32)), 10)
        .sign(SigningKey.secp256k1(Fixtures.salt(9).bytes()));
    assertFalse(byOther.verifySignature().valid(), "signed by someone else than the publisher it names");
    SignedCheckpoint altered = new SignedCheckpoint(checkpoint(3, Hash32.fromHex("ab".repeat(32)), 10), signed.signature());
    assertFalse(altered.verifySignature().valid(), "root changed after signing");
    SignedCheckpoint byEd = new SignedCheckpoint(signed.checkpoint(), Fixtures.ed25519().sign(signed.checkpoint().digest()));
    assertFalse(byEd.verifySignature().valid());
  }

  @Test
  void twoRootsUnderOneSequenceNumberAreAnEquivocation() {
    SignedCheckpoint a = checkpoint(5, Hash32.fromHex("aa".repeat(32)), 10).sign(OPERATOR);
    SignedCheckpoint b = checkpoint(5, Hash32.fromHex("bb".repeat(32)), 10).sign(OPERATOR);
    VerificationResult result = SignedCheckpoint.compare(a, b);
    assertEquals(VerificationStatus.EQUIVOCATION, result.status());
    assertTrue(result.reason().contains("numbered 5"), result.reason());
    assertEquals(VerificationStatus.VERIFIED_OFFLINE, SignedCheckpoint.compare(a, a).status());
    assertEquals(VerificationStatus.VERIFIED_OFFLINE,
        SignedCheckpoint.compare(a, checkpoint(6, Hash32.fromHex("bb".repeat(32)), 10).sign(OPERATOR)).status());
    SignedCheckpoint forged = new SignedCheckpoint(b.checkpoint(), a.signature());
    assertEquals(VerificationStatus.BAD_SIGNATURE, SignedCheckpoint.compare(a, forged).status(),
        "a forged checkpoint is no evidence");
  }

  @Test
  void aProofsCheckpointMustMatchItsBatch() {
    OfflineVerifierTest.Batch batch = new OfflineVerifierTest.Batch(OPERATOR);
    MessageProof proof = batch.proofs.get(2);
    MessageProof sealed = proof.toBuilder().checkpoint(checkpoint(1, proof.root(), 5).sign(OPERATOR)).build();
    assertEquals(VerificationStatus.VERIFIED_OFFLINE, OfflineVerifier.create().verify(batch.envelopes.get(2), batch.salts.get(2), sealed).status());
    MessageProof otherRoot = proof.toBuilder().checkpoint(checkpoint(1, Hash32.fromHex("cc".repeat(32)), 5).sign(OPERATOR)).build();
    assertEquals(VerificationStatus.BAD_PROOF, OfflineVerifier.create().verify(batch.envelopes.get(2), batch.salts.get(2), otherRoot).status());
    MessageProof badSignature = proof.toBuilder().checkpoint(new SignedCheckpoint(checkpoint(1, proof.root(), 5),
        checkpoint(2, proof.root(), 5).sign(OPERATOR).signature())).build();
    assertEquals(VerificationStatus.BAD_SIGNATURE,
        OfflineVerifier.create().verify(batch.envelopes.get(2), batch.salts.get(2), badSignature).status());
  }
}
