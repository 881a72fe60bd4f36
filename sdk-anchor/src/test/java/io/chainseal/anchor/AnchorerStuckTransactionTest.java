package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigInteger;
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
 * The next base fee is raised above the first anchoring transaction's max fee: the anchorer replaces
 * it at the same nonce with bumped fees, the batch lands, and no nonce is used twice.
 */
@WithLocalChain
@Tag("slow")
class AnchorerStuckTransactionTest {
  @Test
  void stuckTransactionIsReplacedAtTheSameNonceAndTheBatchLands(LocalChain local, @TempDir Path dir) throws Exception {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    SigningKey operator = TestKeys.of(local.account(1));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    long nonceBefore = chain.transactionCount(operator.id().address(), false);
    local.setAutomine(false); // blocks only when the test mines them
    List<Hash32> sent = new CopyOnWriteArrayList<>();
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("stuck.db"));
        Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(10, Duration.ofMillis(20))).confirmations(1)
            .replaceAfter(Duration.ofSeconds(1)).rebroadcastInterval(Duration.ofMillis(500))
            .maxFeePerGas(BigInteger.valueOf(1_000_000_000_000L))
            .listener(new AnchorListener() {
              @Override
              public void onBatchSent(long sequence, Hash32 transactionHash) {
                if (!sent.contains(transactionHash)) {
                  sent.add(transactionHash);
                }
              }
            }).build()) {
      CompletableFuture<MessageProof> proof = anchorer.submit(new MessageKey("stuck", "m1"), Hash32.fromHex("11".repeat(32)), null).proof();
      await(() -> sent.size() == 1);
      BigInteger firstMaxFee = TransactionSigner.fees(journal.intent(BatchRecord.intentId(1)).orElseThrow().attempts().get(0).raw())
          .maxFeePerGas();

      BigInteger spike = firstMaxFee.multiply(BigInteger.valueOf(50));
      local.setNextBlockBaseFee(spike);
      local.mine(); // a block the first transaction cannot pay for
      assertEquals(spike, local.baseFeePerGas());
      assertTrue(chain.receipt(sent.get(0)).isEmpty(), "the first transaction is stuck");

      await(() -> sent.size() >= 2); // replaced after replaceAfter
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!proof.isDone() && System.nanoTime() < deadline) {
        local.mine();
        Thread.sleep(100);
      }
      MessageProof anchored = proof.get(1, TimeUnit.SECONDS);
      Hash32 landed = anchored.anchor().orElseThrow().transactionHash();
      assertNotEquals(sent.get(0), landed, "the replacement landed, not the stuck original");
      assertTrue(sent.contains(landed));

      List<io.chainseal.chain.SignedAttempt> attempts = journal.intent(BatchRecord.intentId(1)).orElseThrow().attempts();
      assertTrue(attempts.size() >= 2, "original and replacement journaled");
      for (io.chainseal.chain.SignedAttempt attempt : attempts) {
        assertEquals(nonceBefore, attempt.nonce(), "every attempt at the same nonce");
      }
      TransactionSigner.Fees replacement = TransactionSigner.fees(attempts.get(1).raw());
      assertTrue(replacement.maxFeePerGas().compareTo(firstMaxFee.multiply(BigInteger.valueOf(9)).divide(BigInteger.valueOf(8))) > 0,
          "fees bumped at least 12.5 %");
      assertTrue(replacement.maxFeePerGas().compareTo(spike) >= 0, "and up to what the chain asks");
      assertEquals(nonceBefore + 1, chain.transactionCount(operator.id().address(), false), "exactly one nonce used");
      assertTrue(chain.receipt(sent.get(0)).isEmpty(), "the original can never be mined now");
    } finally {
      local.setAutomine(true);
    }
    chain.close();
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(20);
    }
  }
}
