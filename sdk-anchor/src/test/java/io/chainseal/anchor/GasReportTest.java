package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.internal.Transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.Salt;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gas per anchor at batch sizes 1, 100 and 10,000, measured through the real anchorer, beside the
 * naive alternative: one plain transaction per message carrying its 32-byte commitment. Prints the
 * table that docs/performance.md records.
 */
@WithLocalChain
@Tag("slow")
class GasReportTest {
  @Test
  void anchorGasIsFlatInBatchSizeAndAtMost30000(LocalChain local, @TempDir Path dir) throws Exception {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    SigningKey operator = TestKeys.of(local.account(4));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    List<BigInteger> gas = new ArrayList<>();
    int[] sizes = {1, 100, 10_000};
    AnchorListener recordGas = new AnchorListener() {
      @Override
      public void onBatchAnchored(long sequence, io.chainseal.core.AnchorReference anchor) {
        gas.add(chain.receipt(anchor.transactionHash()).orElseThrow().gasUsed());
      }
    };
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("gas.db"))) {
      int id = 0;
      for (int size : sizes) {
        // A batch closes exactly at its size: the delay is far longer than submitting takes.
        try (Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(size, Duration.ofMinutes(5))).confirmations(1).listener(recordGas).build()) {
          List<CompletableFuture<?>> proofs = new ArrayList<>();
          for (int i = 0; i < size; i++, id++) {
            MessageEnvelope envelope = MessageEnvelope.builder().conversationId("gas").messageId("m" + id).senderId("s")
                .timestamp(Instant.EPOCH).text("message " + id).build();
            proofs.add(anchorer.submit(envelope, Salt.random()).proof());
          }
          CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        }
      }
    }
    assertEquals(sizes.length, gas.size(), "one anchoring transaction per batch: " + gas);

    // The naive approach: one plain transaction per message, its commitment as call data.
    TransactionSigner naive = new TransactionSigner(TestKeys.of(local.account(5)), chain.chainId());
    Hash32 commitment = MessageEnvelope.builder().conversationId("gas").messageId("naive").senderId("s")
        .timestamp(Instant.EPOCH).text("x").build().commit(Salt.random());
    BigInteger perMessage = Transactions.sendAndWait(chain, naive, naive.address(), commitment.bytes(), Duration.ofSeconds(30)).gasUsed();

    System.out.println("| batch size | gas per anchor | gas per message, batched | gas per message, one tx each |");
    for (int i = 0; i < sizes.length; i++) {
      System.out.printf("| %,d | %,d | %,.1f | %,d |%n", sizes[i], gas.get(i), gas.get(i).doubleValue() / sizes[i], perMessage);
      assertTrue(gas.get(i).compareTo(BigInteger.valueOf(30_000)) <= 0, "batch of " + sizes[i] + " used " + gas.get(i));
    }
    chain.close();
  }
}
