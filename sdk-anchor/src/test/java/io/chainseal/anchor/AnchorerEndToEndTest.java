package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 10,000 messages from 8 threads through a real anchorer, journal and chain; then the verdicts. */
@WithLocalChain
@Tag("slow")
class AnchorerEndToEndTest {
  record Sent(MessageEnvelope envelope, Salt salt, PendingProof pending) {}

  static MessageEnvelope message(int thread, int i) {
    return MessageEnvelope.builder()
        .conversationId("room-" + (i % 17))
        .messageId("t" + thread + "-m" + i)
        .senderId("user" + thread + "@example.org")
        .timestamp(Instant.ofEpochMilli(1_764_000_000_000L + i))
        .text("message " + i + " from thread " + thread)
        .build();
  }

  @Test
  void tenThousandConcurrentMessagesAreAnchoredAndEveryProofVerifiesOnline(LocalChain local, @TempDir Path dir) throws Exception {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    SigningKey operator = TestKeys.of(local.account(1));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    AnchorContract otherContract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    List<Long> confirmedBatches = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Sent> sent = new ArrayList<>();
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("anchor.db"));
        Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(2_000, Duration.ofMillis(200))).confirmations(1).maxBacklog(20_000)
            .listener(new AnchorListener() {
              @Override
              public void onBatchConfirmed(long sequence, int size) {
                confirmedBatches.add(sequence);
              }
            })
            .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<List<Sent>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          List<Sent> mine = new ArrayList<>();
          for (int i = 0; i < 1250; i++) {
            MessageEnvelope envelope = message(thread, i);
            Salt salt = Salt.random();
            mine.add(new Sent(envelope, salt, anchorer.submit(envelope, salt)));
          }
          return mine;
        }));
      }
      for (Future<List<Sent>> future : futures) {
        sent.addAll(future.get(120, TimeUnit.SECONDS));
      }
      pool.shutdown();
      CompletableFuture.allOf(sent.stream().map(s -> s.pending().proof()).toArray(CompletableFuture[]::new))
          .get(180, TimeUnit.SECONDS);
      assertEquals(10_000, journal.messageCount());
      assertEquals(0, anchorer.backlog());

      // Idempotent: the same key returns the same handle; another commitment for it is a conflict.
      Sent first = sent.get(0);
      assertEquals(first.pending().proof().join(), anchorer.submit(first.envelope(), first.salt()).proof().join());
      SubmitRejectedException conflict = assertThrows(SubmitRejectedException.class,
          () -> anchorer.submit(first.envelope(), Salt.random()));
      assertEquals(SubmitRejectedException.Reason.CONFLICT, conflict.reason());
      assertEquals(first.pending().proof().join(), anchorer.proof(first.pending().key()).orElseThrow());
    }

    CountingChainClient counting = new CountingChainClient(chain);
    ProvenanceVerifier verifier = ProvenanceVerifier.builder(counting).chainId(chain.chainId()).trustPublisher(operator.id().address())
        .trustContract(contract.address()).confirmations(1).headTtl(Duration.ofMinutes(10)).build();
    Set<Hash32> transactions = new HashSet<>();
    Set<Hash32> roots = new HashSet<>();
    for (Sent s : sent) {
      MessageProof proof = s.pending().proof().join();
      ProvenanceResult result = verifier.verify(s.envelope(), s.salt(), proof);
      assertEquals(VerificationStatus.VERIFIED, result.status(), s.envelope().messageId() + ": " + result.reason());
      assertEquals(operator.id().address(), result.publisher().orElseThrow());
      transactions.add(proof.anchor().orElseThrow().transactionHash());
      roots.add(proof.root());
    }
    assertEquals(confirmedBatches.size(), transactions.size(), "one transaction per batch");
    assertEquals(transactions.size(), roots.size());
    assertTrue(counting.receipts.get() <= transactions.size(),
        counting.receipts.get() + " receipt lookups for " + transactions.size() + " batches");
    System.out.printf("10,000 messages: %d batches, %d receipt lookups, %d block lookups, %d head lookups%n",
        transactions.size(), counting.receipts.get(), counting.blocks.get(), counting.blockNumbers.get());

    Sent sample = sent.get(4321);
    MessageProof proof = sample.pending().proof().join();
    MessageEnvelope tampered = sample.envelope().toBuilder().text(sample.envelope().text().orElseThrow() + "!").build();
    assertEquals(VerificationStatus.TAMPERED, verifier.verify(tampered, sample.salt(), proof).status(), "one byte more");
    assertEquals(VerificationStatus.TAMPERED, verifier.verify(sample.envelope(), Salt.random(), proof).status(), "wrong salt");
    assertEquals(VerificationStatus.TAMPERED, verifier.verify(sent.get(1).envelope(), sent.get(1).salt(), proof).status(),
        "proof moved to another message");
    AnchorReference anchor = proof.anchor().orElseThrow();
    try (LocalChain otherChain = LocalChain.builder().chainId(4242).start();
        ChainClient otherClient = ChainClient.http(otherChain.rpcUrl())) {
      ProvenanceResult wrongChain = ProvenanceVerifier.builder(otherClient).chainId(4242).trustPublisher(operator.id().address())
          .trustContract(contract.address()).confirmations(1).build().verify(sample.envelope(), sample.salt(), proof);
      assertEquals(VerificationStatus.WRONG_CHAIN, wrongChain.status(), "a chain-31337 proof checked on chain 4242");
    }
    MessageProof anchorOnly = proof.toBuilder().checkpoint(null).build(); // edits below would break its signed checkpoint first
    MessageProof renamedChain = proof.toBuilder().anchor(new AnchorReference(anchor.chainId() + 1, anchor.contract(),
        anchor.transactionHash(), anchor.blockNumber(), anchor.logIndex())).build();
    assertEquals(VerificationStatus.BAD_PROOF, verifier.verify(sample.envelope(), sample.salt(), renamedChain).status(),
        "an anchor that contradicts the proof's own signed checkpoint");
    proof = anchorOnly;
    MessageProof otherAddress = proof.toBuilder().anchor(new AnchorReference(anchor.chainId(), otherContract.address(),
        anchor.transactionHash(), anchor.blockNumber(), anchor.logIndex())).build();
    assertEquals(VerificationStatus.NOT_ANCHORED, verifier.verify(sample.envelope(), sample.salt(), otherAddress).status());
    ProvenanceVerifier anyContract = ProvenanceVerifier.builder(chain).chainId(chain.chainId())
        .trustPublisher(operator.id().address()).trustContract(contract.address()).trustContract(otherAddress.anchor().orElseThrow().contract())
        .confirmations(1).build();
    assertEquals(VerificationStatus.NOT_ANCHORED, anyContract.verify(sample.envelope(), sample.salt(), otherAddress).status(),
        "the other contract emitted nothing in that transaction");
    MessageProof wrongTx = proof.toBuilder().anchor(new AnchorReference(anchor.chainId(), anchor.contract(),
        Hash32.fromHex("ab".repeat(32)), anchor.blockNumber(), anchor.logIndex())).build();
    assertEquals(VerificationStatus.NOT_ANCHORED, verifier.verify(sample.envelope(), sample.salt(), wrongTx).status());
    ProvenanceVerifier otherTrust = ProvenanceVerifier.builder(chain).chainId(chain.chainId())
        .trustContract(contract.address()).trustPublisher(EvmAddress.fromHex(local.account(5).address())).confirmations(1).build();
    assertEquals(VerificationStatus.UNTRUSTED_PUBLISHER, otherTrust.verify(sample.envelope(), sample.salt(), proof).status());
    ProvenanceVerifier deep = ProvenanceVerifier.builder(chain).chainId(chain.chainId()).trustContract(contract.address())
        .trustPublisher(operator.id().address()).confirmations(1_000).build();
    assertEquals(VerificationStatus.PENDING, deep.verify(sample.envelope(), sample.salt(), proof).status());
    assertEquals(VerificationStatus.NOT_ANCHORED,
        verifier.verify(sample.envelope(), sample.salt(), proof.toBuilder().anchor(null).build()).status());
    chain.close();
  }

  @Test
  void unreachableChainIsUnavailableNotAnException(LocalChain local) {
    MessageEnvelope envelope = message(0, 0);
    Salt salt = Salt.random();
    Hash32 commitment = envelope.commit(salt);
    MessageProof proof = MessageProof.builder().commitment(commitment)
        .inclusion(io.chainseal.core.MerkleTree.ofLeafHashes(List.of(commitment)).inclusionProof(0)).root(commitment)
        .anchor(new AnchorReference(local.chainId(), EvmAddress.fromHex(local.account(0).address()),
            Hash32.fromHex("cd".repeat(32)), 1, 0))
        .build();
    try (ChainClient dead = ChainClient.builder("http://127.0.0.1:9").maxAttempts(2)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(10)).timeout(Duration.ofSeconds(1)).build()) {
      ProvenanceResult result = ProvenanceVerifier.builder(dead).chainId(31337).trustContract(proof.anchor().orElseThrow().contract())
          .trustPublisher(EvmAddress.fromHex("0x" + "11".repeat(20))).build().verify(envelope, salt, proof);
      assertEquals(VerificationStatus.UNAVAILABLE, result.status(), result.reason());
    }
    assertSame(VerificationStatus.UNAVAILABLE, VerificationStatus.valueOf("UNAVAILABLE"));
  }
}
