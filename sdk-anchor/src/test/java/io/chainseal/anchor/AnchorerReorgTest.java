package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.Salt;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An anchored, confirmed batch is reorganized away with {@code anvil_reorg}: the old proofs report
 * REORGED, the anchorer anchors the batch again, and the re-issued proofs (fetched again by message
 * id) verify.
 */
@WithLocalChain
@Tag("slow")
class AnchorerReorgTest {
  @Test
  void reorganizedBatchIsAnchoredAgainAndItsReissuedProofsVerify(LocalChain local, @TempDir Path dir) throws Exception {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    SigningKey operator = TestKeys.of(local.account(1));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    List<Long> reorged = new CopyOnWriteArrayList<>();
    List<Long> confirmed = new CopyOnWriteArrayList<>();
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("reorg.db"));
        Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(50, Duration.ofMillis(50))).confirmations(1).pollInterval(Duration.ofMillis(25))
            .listener(new AnchorListener() {
              @Override
              public void onBatchReorged(long sequence, AnchorReference formerAnchor) {
                reorged.add(sequence);
              }

              @Override
              public void onBatchConfirmed(long sequence, int size) {
                confirmed.add(sequence);
              }
            }).build()) {
      List<MessageEnvelope> envelopes = new ArrayList<>();
      List<Salt> salts = new ArrayList<>();
      List<CompletableFuture<MessageProof>> proofs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        MessageEnvelope envelope = MessageEnvelope.builder().conversationId("reorg").messageId("m" + i).senderId("s")
            .timestamp(Instant.ofEpochMilli(i)).text("message " + i).build();
        Salt salt = Salt.random();
        envelopes.add(envelope);
        salts.add(salt);
        proofs.add(anchorer.submit(envelope, salt).proof());
      }
      CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      MessageProof old = proofs.get(7).join();
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).chainId(chain.chainId()).trustContract(contract.address())
          .trustPublisher(operator.id().address()).confirmations(1).build();
      assertEquals(VerificationStatus.VERIFIED, verifier.verify(envelopes.get(7), salts.get(7), old).status());

      long batchesBefore = journal.lastBatch().orElseThrow().sequence(); // one or two, as timing cut them
      long anchoredIn = old.anchor().orElseThrow().blockNumber();
      local.reorgFrom(anchoredIn); // replace the anchoring block and all after it

      ProvenanceResult stale = verifier.verify(envelopes.get(7), salts.get(7), old);
      assertEquals(VerificationStatus.REORGED, stale.status(), stale.reason());

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      MessageProof reissued = null;
      while (System.nanoTime() < deadline) {
        if (!reorged.isEmpty() && confirmed.size() >= 2) {
          reissued = anchorer.proof(new MessageKey("reorg", "m7")).orElse(null);
          if (reissued != null && !reissued.anchor().equals(old.anchor())) {
            break;
          }
        }
        Thread.sleep(50);
      }
      // The reorg replaces the block of m7's batch and every block after it: however many batches that
      // hits, m7's is among them and each is reported once.
      assertTrue(reorged.contains(old.checkpoint().orElseThrow().checkpoint().sequence()), "m7's batch reported: " + reorged);
      assertEquals(reorged.size(), new java.util.HashSet<>(reorged).size(), "each reorganized batch reported once: " + reorged);
      assertTrue(reissued != null, "a re-issued proof");
      assertNotEquals(old.anchor().orElseThrow().blockHash(), reissued.anchor().orElseThrow().blockHash());
      assertEquals(old.root(), reissued.root(), "same batch, same root");
      for (int i = 0; i < 50; i++) {
        MessageProof proof = anchorer.proof(new MessageKey("reorg", "m" + i)).orElseThrow();
        ProvenanceResult result = verifier.verify(envelopes.get(i), salts.get(i), proof);
        assertEquals(VerificationStatus.VERIFIED, result.status(), "m" + i + ": " + result.reason());
      }
      assertEquals(batchesBefore, journal.lastBatch().orElseThrow().sequence(), "re-anchored, not re-batched");
    }
    chain.close();
  }
}
