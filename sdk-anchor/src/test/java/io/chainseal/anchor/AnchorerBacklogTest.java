package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the chain stalled (no blocks), submit past the backlog bound fails fast and memory stays flat. */
@WithLocalChain
@Tag("slow")
class AnchorerBacklogTest {
  private static Hash32 commitment(int i) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) i;
    bytes[1] = (byte) (i >> 8);
    bytes[2] = (byte) (i >> 16);
    bytes[31] = 7;
    return Hash32.of(bytes);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  @Test
  void submitPastTheBoundFailsFastAndMemoryStaysFlat(LocalChain local, @TempDir Path dir) throws Exception {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    local.setAutomine(false); // stalled: transactions are accepted but never mined
    int bound = 2_000;
    List<PendingProof> accepted = new ArrayList<>();
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("backlog.db"));
        Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(TestKeys.of(local.account(1)))
            .journal(journal).batchPolicy(new BatchPolicy(500, Duration.ofMillis(10))).confirmations(1)
            .maxBacklog(bound).closeTimeout(Duration.ofSeconds(60)).build()) {
      for (int i = 0; i < bound; i++) {
        accepted.add(anchorer.submit(new MessageKey("c", "m" + i), commitment(i), null));
      }
      assertEquals(bound, anchorer.backlog());

      long before = usedHeapAfterGc();
      long slowest = 0;
      int rejected = 0;
      for (int i = bound; i < bound + 200_000; i++) {
        long start = System.nanoTime();
        SubmitRejectedException e = assertThrows(SubmitRejectedException.class,
            () -> anchorer.submit(new MessageKey("c", "overflow"), commitment(0), null));
        slowest = Math.max(slowest, System.nanoTime() - start);
        assertEquals(SubmitRejectedException.Reason.BACKLOG_FULL, e.reason());
        assertTrue(e.retryable());
        rejected++;
      }
      long after = usedHeapAfterGc();
      System.out.printf("backlog: %d rejected, slowest rejection %d us, heap %d -> %d KiB%n", rejected, slowest / 1_000,
          before / 1024, after / 1024);
      assertTrue(after - before < 16L * 1024 * 1024, "heap grew by " + (after - before) / 1024 + " KiB");
      assertTrue(slowest < TimeUnit.MILLISECONDS.toNanos(200), "a rejection took " + slowest / 1_000 + " us");
      assertEquals(bound, journal.messageCount(), "rejected messages were not journaled");

      // The chain comes back: everything accepted gets anchored, and the bound frees up.
      local.setAutomine(true);
      local.mine();
      CompletableFuture.allOf(accepted.stream().map(PendingProof::proof).toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      MessageProof proof = accepted.get(bound - 1).proof().join();
      assertEquals(commitment(bound - 1), proof.commitment());
      assertEquals(0, anchorer.backlog());
      anchorer.submit(new MessageKey("c", "after"), commitment(1), null);
    }
    chain.close();
  }

  @Test
  void closedAnchorerRejectsAndTheJournalKeepsWhatWasAccepted(LocalChain local, @TempDir Path dir) {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    local.setAutomine(false);
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("closed.db"))) {
      Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(TestKeys.of(local.account(2)))
          .journal(journal).confirmations(1).closeTimeout(Duration.ofMillis(300)).build();
      PendingProof pending = anchorer.submit(new MessageKey("c", "kept"), commitment(42), null);
      anchorer.close();
      assertEquals(SubmitRejectedException.Reason.CLOSED, assertThrows(SubmitRejectedException.class,
          () -> anchorer.submit(new MessageKey("c", "late"), commitment(43), null)).reason());
      assertTrue(pending.proof().isCompletedExceptionally(), "the caller learns it is not anchored yet");
      assertEquals(1, journal.messageCount(), "but it is kept for the next start");
    } finally {
      local.setAutomine(true);
      chain.close();
    }
  }
}
