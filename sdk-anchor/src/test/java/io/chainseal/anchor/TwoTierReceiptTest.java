package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.Checkpoint;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.Salt;
import io.chainseal.core.SignedCheckpoint;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-tier receipts: a proof is SEALED (signed checkpoint) within one batch delay of submit and
 * upgraded to an anchored, VERIFIED one after confirmation; a forged second checkpoint for the same
 * sequence number is an EQUIVOCATION; a checkpoint never anchored by its deadline is an
 * UNANCHORED_CHECKPOINT.
 */
@WithLocalChain
@Tag("slow")
class TwoTierReceiptTest {
  @Test
  void sealedAtOnceAnchoredLaterAndEquivocationCaught(LocalChain local, @TempDir Path dir) throws Exception {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    SigningKey operator = TestKeys.of(local.account(1));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).chainId(chain.chainId()).trustPublisher(operator.id().address())
        .trustContract(contract.address()).confirmations(1).build();
    Duration batchDelay = Duration.ofMillis(300);
    local.setAutomine(false); // nothing gets mined until the test says so
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("two-tier.db"));
        Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(1_000, batchDelay)).confirmations(1).build()) {
      MessageEnvelope envelope = MessageEnvelope.builder().conversationId("room").messageId("m1").senderId("alice")
          .timestamp(Instant.now()).text("sealed first, anchored later").build();
      Salt salt = Salt.random();
      long start = System.nanoTime();
      PendingProof pending = anchorer.submit(envelope, salt);
      MessageProof sealed = pending.sealed().get(10, TimeUnit.SECONDS);
      long sealedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf("sealed after %d ms (batch delay %d ms)%n", sealedAfterMs, batchDelay.toMillis());
      assertTrue(sealedAfterMs <= batchDelay.toMillis() + 250, "sealed after " + sealedAfterMs + " ms");
      assertTrue(sealed.anchor().isEmpty() && sealed.checkpoint().isPresent());
      ProvenanceResult early = verifier.verify(envelope, salt, sealed);
      assertEquals(VerificationStatus.SEALED, early.status(), early.reason());
      assertTrue(!pending.proof().isDone(), "not anchored yet");

      // A forged second checkpoint: the operator's key signs another root under the same number.
      Checkpoint real = sealed.checkpoint().orElseThrow().checkpoint();
      Hash32 otherCommitment = Hash32.fromHex("77".repeat(32));
      SignedCheckpoint forged = new Checkpoint(real.chainId(), real.contract(), real.publisher(), real.sequence(), 1,
          otherCommitment, real.time()).sign(operator);
      assertEquals(VerificationStatus.EQUIVOCATION, SignedCheckpoint.compare(sealed.checkpoint().get(), forged).status());

      local.setAutomine(true);
      local.mine();
      MessageProof anchored = pending.proof().get(30, TimeUnit.SECONDS);
      assertEquals(sealed.root(), anchored.root());
      assertEquals(sealed.checkpoint(), anchored.checkpoint(), "the upgraded proof keeps its checkpoint");
      assertEquals(VerificationStatus.VERIFIED, verifier.verify(envelope, salt, anchored).status());
      ProvenanceResult upgraded = verifier.verify(envelope, salt, sealed);
      assertEquals(VerificationStatus.VERIFIED, upgraded.status(), "a sealed proof finds its anchor: " + upgraded.reason());
      assertEquals(anchored, anchorer.latestProof(new MessageKey("room", "m1")).orElseThrow());

      // The forged checkpoint, shown with a proof for its own root, is caught against the chain.
      MessageEnvelope otherEnvelope = MessageEnvelope.builder().conversationId("room").messageId("x").senderId("mallory")
          .timestamp(Instant.now()).text("rewritten history").build();
      Salt otherSalt = Salt.random();
      Hash32 commitment = otherEnvelope.commit(otherSalt);
      SignedCheckpoint forgedForIt = new Checkpoint(real.chainId(), real.contract(), real.publisher(), real.sequence(), 1,
          commitment, real.time()).sign(operator);
      MessageProof forgedProof = MessageProof.builder().commitment(commitment)
          .inclusion(MerkleTree.ofLeafHashes(List.of(commitment)).inclusionProof(0)).root(commitment)
          .checkpoint(forgedForIt).build();
      ProvenanceResult equivocation = verifier.verify(otherEnvelope, otherSalt, forgedProof);
      assertEquals(VerificationStatus.EQUIVOCATION, equivocation.status(), equivocation.reason());

      // A checkpoint for a batch that is never anchored: sealed until its deadline, evidence after.
      SignedCheckpoint promise = new Checkpoint(real.chainId(), real.contract(), real.publisher(), 99, 1, commitment,
          Instant.now().minusSeconds(120)).sign(operator);
      MessageProof unanchored = forgedProof.toBuilder().checkpoint(promise).build();
      assertEquals(VerificationStatus.SEALED, verifier.verify(otherEnvelope, otherSalt, unanchored).status());
      ProvenanceVerifier strict = ProvenanceVerifier.builder(chain).chainId(chain.chainId()).trustPublisher(operator.id().address())
          .trustContract(contract.address()).confirmations(1).anchorDeadline(Duration.ofSeconds(60)).build();
      assertEquals(VerificationStatus.UNANCHORED_CHECKPOINT, strict.verify(otherEnvelope, otherSalt, unanchored).status());
    } finally {
      local.setAutomine(true);
    }
    chain.close();
  }
}
