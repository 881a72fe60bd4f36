package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.FakeChain;
import io.chainseal.chain.IntentState;
import io.chainseal.chain.JournalException;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anchorer on the in-memory chain when the journal or the nodes misbehave in ways a review found
 * could double an anchor or stall a batch: a write that fails (or lands and then reports failure) at
 * each step of a batch's life, receipts and logs that lag the nonce count, a journal restored from a
 * backup while the newer history's anchors are still pending, and reorganizations seen late. Each test
 * ends by counting the anchors on chain: every accepted message in exactly one anchor, no batch number
 * with two roots, no gap.
 */
class AnchorerJournalFaultsTest {
  private static final SigningKey OPERATOR = SigningKey.secp256k1(Hash32.fromHex("0d".repeat(32)).bytes());

  @TempDir Path dir;
  private final FakeChain chain = FakeAnchor.chain();
  private final List<String> errors = new CopyOnWriteArrayList<>();

  private Anchorer.Builder builder(AnchorJournal journal) {
    return Anchorer.builder().chain(chain).contract(FakeAnchor.CONTRACT).publisherKey(OPERATOR).journal(journal)
        .batchPolicy(new BatchPolicy(40, Duration.ofMillis(20))).confirmations(2).pollInterval(Duration.ofMillis(5))
        .rebroadcastInterval(Duration.ofMillis(200)).leaseCheckInterval(Duration.ofMillis(50))
        .listener(new AnchorListener() {
          @Override
          public void onError(String what, Throwable error) {
            errors.add(what + ": " + error.getMessage());
          }
        });
  }

  private static Hash32 commitment(String tag, int i) {
    try {
      return Hash32.of(MessageDigest.getInstance("SHA-256").digest((tag + "/" + i).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static List<CompletableFuture<MessageProof>> submit(Anchorer anchorer, String tag, int count) {
    List<CompletableFuture<MessageProof>> proofs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      proofs.add(anchorer.submit(new MessageKey(tag, "m" + i), commitment(tag, i), null).proof());
    }
    return proofs;
  }

  private static void awaitAll(List<CompletableFuture<MessageProof>> proofs) throws Exception {
    CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  /**
   * A journal whose first call of {@code operation} fails — before writing anything, or (with
   * {@code afterWriting}) after its write landed, as a commit whose answer was lost.
   */
  private static AnchorJournal failingOnce(AnchorJournal journal, String operation, boolean afterWriting) {
    AtomicInteger calls = new AtomicInteger();
    return (AnchorJournal) Proxy.newProxyInstance(AnchorJournal.class.getClassLoader(), new Class<?>[] {AnchorJournal.class},
        (proxy, method, args) -> {
          boolean fail = method.getName().equals(operation) && calls.getAndIncrement() == 0;
          if (fail && !afterWriting) {
            throw new JournalException(operation + " failed: the database went away (staged)", true);
          }
          Object result;
          try {
            result = method.invoke(journal, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (fail) {
            throw new JournalException(operation + " landed, but its answer was lost (staged)", true);
          }
          return result;
        });
  }

  /** Runs 200 messages through an anchorer whose journal fails once at {@code operation}; all must be anchored once. */
  private void everyMessageAnchoredOnceDespite(String operation, boolean afterWriting) throws Exception {
    try (FakeMiner miner = new FakeMiner(chain);
        SqliteAnchorJournal sqlite = SqliteAnchorJournal.open(dir.resolve(operation + afterWriting + ".db"))) {
      AnchorJournal journal = failingOnce(sqlite, operation, afterWriting);
      try (Anchorer anchorer = builder(journal).build()) {
        List<CompletableFuture<MessageProof>> proofs = submit(anchorer, operation, 200);
        awaitAll(proofs);
        for (int i = 0; i < 200; i += 37) {
          assertEquals(proofs.get(i).join(), anchorer.proof(new MessageKey(operation, "m" + i)).orElseThrow());
        }
      }
      assertTrue(errors.stream().anyMatch(e -> e.contains("(staged)")), "the failure happened: " + errors);
      assertEquals(200, FakeAnchor.anchoredMessages(chain));
      assertEquals(sqlite.lastBatch().orElseThrow().sequence(), chain.mined(OPERATOR.id().address()).size(),
          "one transaction per batch");
    }
  }

  @Test
  void aBatchWhoseIntentCouldNotBeJournaledIsSentLater() throws Exception {
    everyMessageAnchoredOnceDespite("recordIntent", false);
  }

  @Test
  void aBatchWhoseIntentWasJournaledButReportedFailedIsSentOnce() throws Exception {
    everyMessageAnchoredOnceDespite("recordIntent", true);
  }

  @Test
  void aBatchCreatedButReportedFailedIsAdoptedNotNumberedAgain() throws Exception {
    everyMessageAnchoredOnceDespite("createBatch", true);
  }

  @Test
  void aLostAnchoredRecordIsMadeUpFor() throws Exception {
    everyMessageAnchoredOnceDespite("recordAnchored", false);
  }

  @Test
  void aLostConfirmationIsMadeUpFor() throws Exception {
    everyMessageAnchoredOnceDespite("recordConfirmed", false);
  }

  @Test
  void aRetryWhoseAnswerWasLostStillAnchorsEverythingOnce() throws Exception {
    chain.revertWhen(tx -> FakeAnchor.ADDRESS.equals(tx.to()));
    AtomicBoolean armed = new AtomicBoolean();
    try (FakeMiner miner = new FakeMiner(chain);
        SqliteAnchorJournal sqlite = SqliteAnchorJournal.open(dir.resolve("retry.db"))) {
      // Once armed, the next write that moves an intent back to PENDING lands, and its answer is lost.
      AnchorJournal journal = (AnchorJournal) Proxy.newProxyInstance(AnchorJournal.class.getClassLoader(),
          new Class<?>[] {AnchorJournal.class}, (proxy, method, args) -> {
            Object result;
            try {
              result = method.invoke(sqlite, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
            if (method.getName().equals("recordState") && args[1] == IntentState.PENDING && armed.getAndSet(false)) {
              throw new JournalException("recordState landed, but its answer was lost (staged)", true);
            }
            return result;
          });
      try (Anchorer anchorer = builder(journal).maxReverts(2).build()) {
        List<CompletableFuture<MessageProof>> proofs = new ArrayList<>(submit(anchorer, "first", 10));
        await(() -> errors.stream().anyMatch(e -> e.contains("anchoring given up")), "batch 1 given up");
        proofs.addAll(submit(anchorer, "held", 20));
        await(() -> sqlite.lastBatch().map(BatchRecord::sequence).orElse(0L) >= 2, "a later batch created and held");
        chain.clearReverts();
        armed.set(true);
        assertEquals(1, anchorer.retryFailedBatches(), "the write landed: the retry reads it back and goes on");
        assertFalse(armed.get(), "the lost answer happened");
        anchorer.retryFailedBatches(); // calling again changes nothing
        awaitAll(proofs);
      }
    }
    assertEquals(30, FakeAnchor.anchoredMessages(chain));
  }

  @Test
  void receiptsAndLogsThatLagTheNonceCountNeverAnchorABatchTwice() throws Exception {
    // Counts from an up-to-date node; receipts and logs from one 5 blocks behind (a load balancer).
    chain.lagBlocks(5).finalityDepth(30);
    try (FakeMiner miner = new FakeMiner(chain);
        SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("lag.db"));
        Anchorer anchorer = builder(journal).build()) {
      awaitAll(submit(anchorer, "lag", 300));
      assertEquals(300, FakeAnchor.anchoredMessages(chain));
      assertEquals(journal.lastBatch().orElseThrow().sequence(), chain.mined(OPERATOR.id().address()).size(),
          "one transaction per batch");
    }
  }

  @Test
  void aJournalRestoredWhileNewerAnchorsArePendingWaitsAndThenRefuses() throws Exception {
    Path file = dir.resolve("restored.db");
    Path backup = dir.resolve("backup.db");
    long backedUp;
    try (FakeMiner miner = new FakeMiner(chain);
        SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
        Anchorer anchorer = builder(journal).build()) {
      awaitAll(submit(anchorer, "old", 40));
      backedUp = journal.lastBatch().orElseThrow().sequence();
    }
    Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
    // The newer history: batch 2 is signed and broadcast, and waits in the mempool (no blocks now).
    chain.automine(false);
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
        Anchorer anchorer = builder(journal).closeTimeout(Duration.ZERO).build()) {
      submit(anchorer, "newer", 40);
      await(() -> !chain.pending(OPERATOR.id().address()).isEmpty(), "batch 2 broadcast");
    }
    Files.copy(backup, file, StandardCopyOption.REPLACE_EXISTING);
    int pendingBefore = chain.pending(OPERATOR.id().address()).size();
    assertTrue(pendingBefore >= 1);
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
        Anchorer anchorer = builder(journal).closeTimeout(Duration.ZERO).build()) {
      submit(anchorer, "restored", 40); // would be another batch after the backed-up ones, with another root
      assertFalse(anchorer.leads(), "it does not lead while unknown transactions of its key are pending");
      assertTrue(anchorer.refusal().isEmpty(), "not yet a refusal: nothing on chain contradicts the journal yet");
      assertEquals(pendingBefore, chain.pending(OPERATOR.id().address()).size(), "and it signs nothing");
      chain.mine(); // the newer history's batches land
      await(() -> anchorer.refusal().isPresent(), "a refusal once the chain shows what the journal lacks");
      assertTrue(anchorer.refusal().get().contains("batch " + (backedUp + 1)), anchorer.refusal().get());
      assertFalse(anchorer.leads());
      chain.mine(5);
      assertTrue(chain.pending(OPERATOR.id().address()).isEmpty(), "nothing of the restored journal was signed");
    }
    assertEquals(80, FakeAnchor.anchoredMessages(chain), "the newer history only, each batch number with one root");
  }

  @Test
  void aReorganizationSeenAfterARestartIsAnchoredAgainOnce() throws Exception {
    Path file = dir.resolve("reorg-restart.db");
    List<CompletableFuture<MessageProof>> proofs;
    try (FakeMiner miner = new FakeMiner(chain);
        SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
        Anchorer anchorer = builder(journal).build()) {
      proofs = submit(anchorer, "deep", 40);
      awaitAll(proofs);
    }
    AnchorReference before = proofs.get(0).join().anchor().orElseThrow();
    chain.automine(false);
    // While no anchorer runs, a reorganization drops the anchoring block and its transaction.
    chain.reorg((int) (chain.blockNumber() - before.blockNumber() + 1), false);
    assertEquals(0, chain.allLogs(FakeAnchor.ADDRESS).size(), "the anchor is gone");
    try (FakeMiner miner = new FakeMiner(chain);
        SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
        Anchorer anchorer = builder(journal).build()) {
      await(() -> journal.batch(1).map(b -> b.state() == BatchRecord.State.CONFIRMED
          && !b.anchor().blockHash().equals(before.blockHash())).orElse(false), "anchored and confirmed again");
      AnchorReference again = anchorer.proof(new MessageKey("deep", "m0")).orElseThrow().anchor().orElseThrow();
      ChainReceipt receipt = chain.receipt(again.transactionHash()).orElseThrow();
      assertEquals(receipt.blockHash(), again.blockHash(), "the proof names the block the anchor is in now");
      assertEquals(before.transactionHash(), again.transactionHash(), "the same signed transaction, broadcast again");
    }
    assertEquals(40, FakeAnchor.anchoredMessages(chain));
  }

  @Test
  void aReorganizationWhoseBatchRecordFailedIsRecordedWhenMinedAgain() throws Exception {
    try (FakeMiner miner = new FakeMiner(chain);
        SqliteAnchorJournal sqlite = SqliteAnchorJournal.open(dir.resolve("reorg-write.db"))) {
      AnchorJournal journal = failingOnce(sqlite, "recordReorged", false);
      try (Anchorer anchorer = builder(journal).reorgDepth(64).build()) {
        List<CompletableFuture<MessageProof>> proofs = submit(anchorer, "moved", 40);
        awaitAll(proofs);
        AnchorReference before = proofs.get(0).join().anchor().orElseThrow();
        chain.reorg((int) (chain.blockNumber() - before.blockNumber() + 1), true); // mined again in another block
        await(() -> sqlite.batch(1).map(b -> b.state() == BatchRecord.State.CONFIRMED
            && !b.anchor().blockHash().equals(before.blockHash())).orElse(false), "re-recorded in its new block");
        AnchorReference now = anchorer.proof(new MessageKey("moved", "m0")).orElseThrow().anchor().orElseThrow();
        assertEquals(chain.receipt(now.transactionHash()).orElseThrow().blockHash(), now.blockHash());
      }
      assertEquals(40, FakeAnchor.anchoredMessages(chain));
    }
  }
}
