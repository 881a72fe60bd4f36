package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node drops the pending anchoring transaction from its pool ({@code anvil_dropTransaction}), which
 * would leave a nonce gap for every later transaction: the anchorer broadcasts the journaled
 * transaction again, the gap is healed, and the batch lands with its nonce used once.
 */
@WithLocalChain
@Tag("slow")
class AnchorerDroppedTransactionTest {
  @Test
  void droppedTransactionIsBroadcastAgainAndTheGapHeals(LocalChain local, @TempDir Path dir) throws Exception {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    SigningKey operator = TestKeys.of(local.account(1));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    long nonceBefore = chain.transactionCount(operator.id().address(), false);
    local.setAutomine(false);
    List<Hash32> sent = new CopyOnWriteArrayList<>();
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("dropped.db"));
        Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(10, Duration.ofMillis(20))).confirmations(1)
            .rebroadcastInterval(Duration.ofSeconds(2)).replaceAfter(Duration.ofMinutes(5))
            .listener(new AnchorListener() {
              @Override
              public void onBatchSent(long sequence, Hash32 transactionHash) {
                sent.add(transactionHash);
              }
            }).build()) {
      CompletableFuture<MessageProof> proof = anchorer.submit(new MessageKey("dropped", "m1"), Hash32.fromHex("22".repeat(32)), null).proof();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (sent.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Hash32 original = sent.get(0);
      // The listener hears of the attempt when it is journaled, just before its broadcast: wait until the
      // node has it, or the drop below could come first and drop nothing.
      while (chain.transaction(original).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      local.rpc("anvil_dropTransaction", original.hex0x());
      assertEquals(nonceBefore, chain.transactionCount(operator.id().address(), true), "dropped: the pool has a gap at our nonce");
      while (chain.transactionCount(operator.id().address(), true) == nonceBefore && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(nonceBefore + 1, chain.transactionCount(operator.id().address(), true), "broadcast again: back in the pool");
      assertEquals(1, sent.size(), "the same transaction, not a new one");
      while (!proof.isDone() && System.nanoTime() < deadline) {
        local.mine();
        Thread.sleep(100);
      }
      MessageProof anchored = proof.get(1, TimeUnit.SECONDS);
      assertEquals(original, anchored.anchor().orElseThrow().transactionHash(), "the same signed transaction landed");
      assertEquals(nonceBefore + 1, chain.transactionCount(operator.id().address(), false), "its nonce used once");
      assertEquals(1, journal.intent(BatchRecord.intentId(1)).orElseThrow().attempts().size(), "nothing signed twice");
    } finally {
      local.setAutomine(true);
      chain.close();
    }
  }
}
