package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.FakeChain;
import io.chainseal.chain.JournalException;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anchorer on the in-memory chain (milliseconds, no node), under the faults a real node will not
 * stage on demand: reverted anchors, a journal write that fails after a nonce was chosen, an endpoint
 * whose receipts lag. Each test ends by counting the anchors on chain: every accepted message in
 * exactly one anchor, no batch number with two roots, no gap.
 */
class AnchorerOnFakeChainTest {
  private static final SigningKey OPERATOR = SigningKey.secp256k1(Hash32.fromHex("0a".repeat(32)).bytes());

  @TempDir Path dir;
  private final FakeChain chain = FakeAnchor.chain();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private FakeMiner miner;

  @BeforeEach
  void produceBlocks() {
    miner = new FakeMiner(chain);
  }

  @AfterEach
  void stopBlocks() {
    miner.close();
  }

  private Anchorer.Builder builder(AnchorJournal journal) {
    return Anchorer.builder().chain(chain).contract(FakeAnchor.CONTRACT).publisherKey(OPERATOR).journal(journal)
        .batchPolicy(new BatchPolicy(50, Duration.ofMillis(20))).confirmations(2).pollInterval(Duration.ofMillis(5))
        .rebroadcastInterval(Duration.ofMillis(200)).leaseCheckInterval(Duration.ofMillis(50))
        .listener(new AnchorListener() {
          @Override
          public void onError(String what, Throwable error) {
            errors.add(what + ": " + error.getMessage());
          }
        });
  }

  private static Hash32 commitment(int i) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) i;
    bytes[1] = (byte) (i >> 8);
    bytes[31] = 3;
    return Hash32.of(bytes);
  }

  private static List<CompletableFuture<MessageProof>> submit(Anchorer anchorer, int count) {
    List<CompletableFuture<MessageProof>> proofs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      proofs.add(anchorer.submit(new MessageKey("fake", "m" + i), commitment(i), null).proof());
    }
    return proofs;
  }

  private static void awaitAll(List<CompletableFuture<MessageProof>> proofs) throws Exception {
    CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private long anchorTransactions() {
    return chain.mined(OPERATOR.id().address()).stream().filter(tx -> FakeAnchor.ADDRESS.equals(tx.to())).count();
  }

  /** A journal whose first write matching {@code operation} fails, as a database going away for a moment. */
  private static AnchorJournal failingOnce(AnchorJournal journal, Predicate<String> operation) {
    AtomicInteger failures = new AtomicInteger();
    return (AnchorJournal) Proxy.newProxyInstance(AnchorJournal.class.getClassLoader(), new Class<?>[] {AnchorJournal.class},
        (proxy, method, args) -> {
          if (operation.test(method.getName()) && failures.getAndIncrement() == 0) {
            throw new JournalException(method.getName() + " failed: the database went away (staged)", true);
          }
          try {
            return method.invoke(journal, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aRevertedAnchorIsRetriedAFewTimesAndTheBatchIsAnchoredOnce() throws Exception {
    AtomicInteger reverted = new AtomicInteger();
    chain.revertWhen(tx -> FakeAnchor.ADDRESS.equals(tx.to()) && reverted.getAndIncrement() < 2);
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("reverts.db"));
        Anchorer anchorer = builder(journal).build()) {
      List<CompletableFuture<MessageProof>> proofs = submit(anchorer, 120);
      awaitAll(proofs);
      assertEquals(120, FakeAnchor.anchoredMessages(chain), "every message in exactly one anchor");
      long batches = journal.lastBatch().orElseThrow().sequence();
      assertEquals(batches + 2, anchorTransactions(), "one transaction per batch, plus the two that reverted");
    }
  }

  @Test
  void anAnchorThatAlwaysRevertsIsGivenUpLoudlyWithoutDrainingGas() throws Exception {
    chain.revertWhen(tx -> FakeAnchor.ADDRESS.equals(tx.to()));
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("always.db"));
        Anchorer anchorer = builder(journal).maxReverts(3).closeTimeout(Duration.ZERO).build()) {
      List<CompletableFuture<MessageProof>> proofs = submit(anchorer, 10);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (errors.stream().noneMatch(e -> e.contains("anchoring given up")) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(errors.stream().anyMatch(e -> e.contains("anchoring given up")), "surfaced: " + errors);
      // The ten messages may have been cut into more than one batch on a loaded machine: each is given up.
      long batches = journal.lastBatch().map(BatchRecord::sequence).orElseThrow();
      awaitCondition(() -> errors.stream().filter(e -> e.contains("anchoring given up")).count() == batches, "every batch given up");
      long afterGivingUp = anchorTransactions();
      assertEquals(3 * batches, afterGivingUp, "three attempts per batch");
      long later = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      while (System.nanoTime() < later) {
        Thread.sleep(10);
      }
      assertEquals(afterGivingUp, anchorTransactions(), "and then nothing more is signed");
      assertTrue(proofs.stream().noneMatch(CompletableFuture::isDone), "nothing claims to be anchored");
      assertEquals(10, journal.messageCount(), "nothing lost: the batch stays journaled for an operator");
      assertEquals(0, FakeAnchor.anchoredMessages(chain));
    }
  }

  @Test
  void aFailedBatchHoldsLaterOnesUntilTheOperatorRetriesIt() throws Exception {
    chain.revertWhen(tx -> FakeAnchor.ADDRESS.equals(tx.to()));
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("held.db"));
        Anchorer anchorer = builder(journal).maxReverts(2).build()) {
      List<CompletableFuture<MessageProof>> proofs = new ArrayList<>(submit(anchorer, 10));
      awaitCondition(() -> errors.stream().anyMatch(e -> e.contains("anchoring given up")), "batch 1 given up");
      // On a loaded machine the first ten messages may have been cut into two batches, the second sent
      // before the first failed: it reverts and is given up as well. Every batch from before the
      // failure is given up before the later messages arrive.
      long before = journal.lastBatch().map(BatchRecord::sequence).orElseThrow();
      awaitCondition(() -> errors.stream().filter(e -> e.contains("anchoring given up")).count() == before, "every earlier batch given up");
      for (int i = 10; i < 30; i++) {
        proofs.add(anchorer.submit(new MessageKey("fake", "m" + i), commitment(i), null).proof());
      }
      awaitCondition(() -> journal.lastBatch().map(BatchRecord::sequence).orElse(0L) > before, "a later batch created");
      BatchRecord held = journal.batch(before + 1).orElseThrow();
      assertEquals(BatchRecord.State.CREATED, held.state(), "held: journaled and sealed, not sent");
      assertTrue(journal.intent(BatchRecord.intentId(before + 1)).isEmpty(), "no transaction for it");
      assertEquals(2 * before, anchorTransactions(), "only the failed batches' two reverted attempts each were ever signed");

      chain.clearReverts(); // the operator allowed the publisher again
      assertEquals(before, anchorer.retryFailedBatches());
      awaitAll(proofs);
      assertEquals(30, FakeAnchor.anchoredMessages(chain), "every message once, the failed batches first");
      assertEquals(0, anchorer.retryFailedBatches(), "nothing failed any more");
    }
  }

  @Test
  void aRestartGivesAFailedBatchAnotherRound() throws Exception {
    chain.revertWhen(tx -> FakeAnchor.ADDRESS.equals(tx.to()));
    Path file = dir.resolve("restart.db");
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
        Anchorer anchorer = builder(journal).maxReverts(1).closeTimeout(Duration.ZERO).build()) {
      submit(anchorer, 10);
      awaitCondition(() -> errors.stream().anyMatch(e -> e.contains("anchoring given up")), "batch 1 given up");
    }
    chain.clearReverts();
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
        Anchorer anchorer = builder(journal).build()) {
      // Every batch from before the restart (one, or more if the ten messages were cut apart) is confirmed.
      long batches = journal.lastBatch().map(BatchRecord::sequence).orElseThrow();
      awaitCondition(() -> journal.batch(batches).map(b -> b.state() == BatchRecord.State.CONFIRMED).orElse(false)
          && journal.batch(1).map(b -> b.state() == BatchRecord.State.CONFIRMED).orElse(false), "the failed batches confirmed after the restart");
      assertEquals(10, FakeAnchor.anchoredMessages(chain));
      assertTrue(anchorer.proof(new MessageKey("fake", "m3")).isPresent());
    }
  }

  private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aJournalWriteThatFailsAfterTheNonceWasChosenLeavesNoGap() throws Exception {
    try (SqliteAnchorJournal sqlite = SqliteAnchorJournal.open(dir.resolve("gap.db"))) {
      AnchorJournal journal = failingOnce(sqlite, name -> name.equals("recordAttempt"));
      try (Anchorer anchorer = builder(journal).build()) {
        List<CompletableFuture<MessageProof>> proofs = submit(anchorer, 200);
        awaitAll(proofs);
      }
      assertEquals(200, FakeAnchor.anchoredMessages(chain));
      List<Long> nonces = chain.mined(OPERATOR.id().address()).stream().map(FakeChain.Tx::nonce).sorted().toList();
      for (int i = 0; i < nonces.size(); i++) {
        assertEquals(i, nonces.get(i), "nonces without a gap: " + nonces);
      }
      assertTrue(errors.stream().anyMatch(e -> e.contains("database went away")), "the failure happened: " + errors);
    }
  }

  @Test
  void anEmptyReceiptFromALaggingEndpointIsNotTakenForAReorganization() throws Exception {
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("lag.db"));
        Anchorer anchorer = builder(journal).confirmations(5).listener(new AnchorListener() {
          @Override
          public void onBatchAnchored(long sequence, io.chainseal.core.AnchorReference anchor) {
            chain.lagReceipts(300); // the endpoint answers "unknown" for a while after the anchor was mined
          }
        }).build()) {
      List<CompletableFuture<MessageProof>> proofs = submit(anchorer, 100);
      awaitAll(proofs);
      assertEquals(100, FakeAnchor.anchoredMessages(chain));
      assertEquals(journal.lastBatch().orElseThrow().sequence(), anchorTransactions(), "no batch sent twice");
    }
  }
}
