package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineVerifierTest {
  /** A batch of 5 messages of one conversation, signed, with conversation positions. */
  static final class Batch {
    final List<MessageEnvelope> envelopes = new ArrayList<>();
    final List<Salt> salts = new ArrayList<>();
    final List<MessageProof> proofs = new ArrayList<>();

    Batch(SigningKey key) {
      List<Hash32> commitments = new ArrayList<>();
      ConversationLog log = new ConversationLog("room-42");
      for (int i = 0; i < 5; i++) {
        MessageEnvelope envelope = Fixtures.message("m-" + i, "message " + i).toBuilder().senderKey(key.id()).build();
        Salt salt = Fixtures.salt(i);
        envelopes.add(envelope);
        salts.add(salt);
        commitments.add(envelope.commit(salt));
        log.append(envelope.commit(salt));
      }
      MerkleTree tree = MerkleTree.ofLeafHashes(commitments);
      for (int i = 0; i < 5; i++) {
        proofs.add(MessageProof.builder()
            .commitment(commitments.get(i))
            .inclusion(tree.inclusionProof(i))
            .root(tree.root())
            .signature(key.sign(commitments.get(i)))
            .conversation(new LogPosition(log.inclusionProof(i, log.size()), log.checkpoint().root()))
            .build());
      }
    }
  }

  private final OfflineVerifier verifier = OfflineVerifier.create();
  private final Batch batch = new Batch(Fixtures.secp256k1());

  @Test
  void genuineMessagesVerifyOffline() throws Exception {
    for (int i = 0; i < 5; i++) {
      VerificationResult result = verifier.verify(batch.envelopes.get(i), batch.salts.get(i), batch.proofs.get(i));
      assertEquals(VerificationStatus.VERIFIED_OFFLINE, result.status(), result.reason());
      result.orThrow();
    }
    Batch edBatch = new Batch(Fixtures.ed25519());
    assertEquals(VerificationStatus.VERIFIED_OFFLINE,
        verifier.verify(edBatch.envelopes.get(3), edBatch.salts.get(3), edBatch.proofs.get(3)).status());
  }

  @Test
  void oneChangedByteIsTampered() {
    MessageEnvelope edited = batch.envelopes.get(2).toBuilder().text("message 3").build();
    VerificationResult result = verifier.verify(edited, batch.salts.get(2), batch.proofs.get(2));
    assertEquals(VerificationStatus.TAMPERED, result.status());
    assertTrue(result.reason().contains(batch.proofs.get(2).commitment().hex()), result.reason());
    VerificationException e = assertThrows(VerificationException.class, result::orThrow);
    assertEquals(VerificationStatus.TAMPERED, e.status());
  }

  @Test
  void wrongSaltIsTampered() {
    assertEquals(VerificationStatus.TAMPERED, verifier.verify(batch.envelopes.get(2), batch.salts.get(3), batch.proofs.get(2)).status());
  }

  @Test
  void proofOfAnotherMessageIsTampered() {
    assertEquals(VerificationStatus.TAMPERED, verifier.verify(batch.envelopes.get(1), batch.salts.get(1), batch.proofs.get(4)).status());
  }

  @Test
  void brokenPathOrRootIsABadProof() {
    MessageProof proof = batch.proofs.get(1);
    List<Hash32> path = new ArrayList<>(proof.inclusion().path());
    path.set(0, MerklePropertyTest.flip(path.get(0), 3));
    MessageProof badPath = proof.toBuilder().inclusion(new InclusionProof(1, 5, path)).build();
    assertEquals(VerificationStatus.BAD_PROOF, verifier.verify(batch.envelopes.get(1), batch.salts.get(1), badPath).status());
    MessageProof badIndex = proof.toBuilder().inclusion(new InclusionProof(0, 5, proof.inclusion().path())).build();
    assertEquals(VerificationStatus.BAD_PROOF, verifier.verify(batch.envelopes.get(1), batch.salts.get(1), badIndex).status());
    MessageProof badRoot = proof.toBuilder().root(MerklePropertyTest.flip(proof.root(), 0)).build();
    assertEquals(VerificationStatus.BAD_PROOF, verifier.verify(batch.envelopes.get(1), batch.salts.get(1), badRoot).status());
  }

  @Test
  void forgedOrMismatchedSignatureIsBadSignature() {
    MessageProof proof = batch.proofs.get(0);
    byte[] value = proof.signature().orElseThrow().value();
    value[5] ^= 1;
    MessageProof forged = proof.toBuilder().signature(MessageSignature.of(Fixtures.secp256k1().id(), value)).build();
    assertEquals(VerificationStatus.BAD_SIGNATURE, verifier.verify(batch.envelopes.get(0), batch.salts.get(0), forged).status());

    MessageProof byOther = proof.toBuilder().signature(Fixtures.ed25519().sign(proof.commitment())).build();
    VerificationResult result = verifier.verify(batch.envelopes.get(0), batch.salts.get(0), byOther);
    assertEquals(VerificationStatus.BAD_SIGNATURE, result.status());
    assertTrue(result.reason().contains("names sender key"), result.reason());
  }

  @Test
  void unsignedProofFailsOnlyWhenSignaturesAreRequired() {
    MessageProof unsigned = batch.proofs.get(0).toBuilder().signature(null).build();
    assertEquals(VerificationStatus.VERIFIED_OFFLINE, verifier.verify(batch.envelopes.get(0), batch.salts.get(0), unsigned).status());
    assertEquals(VerificationStatus.BAD_SIGNATURE,
        OfflineVerifier.requiringSignatures().verify(batch.envelopes.get(0), batch.salts.get(0), unsigned).status());
  }

  @Test
  void wrongConversationPositionIsABadProof() {
    MessageProof proof = batch.proofs.get(3);
    LogPosition position = proof.conversation().orElseThrow();
    MessageProof moved = proof.toBuilder()
        .conversation(new LogPosition(new InclusionProof(2, 5, position.proof().path()), position.root())).build();
    VerificationResult result = verifier.verify(batch.envelopes.get(3), batch.salts.get(3), moved);
    assertEquals(VerificationStatus.BAD_PROOF, result.status());
    assertTrue(result.reason().startsWith("conversation log proof fails"), result.reason());
  }

  @Test
  void missingInputsGiveAVerdict() {
    assertEquals(VerificationStatus.BAD_PROOF, verifier.verify(null, null, null).status());
  }
}
