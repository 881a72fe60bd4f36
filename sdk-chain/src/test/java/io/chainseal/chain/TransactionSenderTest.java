package io.chainseal.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reliable-transaction layer on the in-memory chain: every fault it promises to ride out, staged,
 * and each test ends by counting what the chain mined — each intent's effect exactly once.
 */
class TransactionSenderTest {
  private static final SigningKey KEY = SigningKey.secp256k1(Hash32.fromHex("5e".repeat(32)).bytes());
  private static final EvmAddress ME = KEY.id().address();
  private static final EvmAddress TARGET = EvmAddress.fromHex("0x" + "7a".repeat(20));

  private final FakeChain chain = new FakeChain(31337);
  private final InMemoryTransactionJournal journal = new InMemoryTransactionJournal();
  private final List<TransactionSender> senders = new ArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    senders.forEach(TransactionSender::close);
  }

  private TransactionSender.Builder builder() {
    return TransactionSender.builder().chain(chain).key(KEY).journal(journal).pollInterval(Duration.ofMillis(5))
        .confirmations(2).rebroadcastInterval(Duration.ofMillis(100)).replaceAfter(Duration.ofSeconds(30))
        .listener(new TransactionListener() {
          @Override
          public void onFailed(TransactionIntent intent, TransactionFailedException failure) {
            failures.add(intent.id() + ": " + failure.reason() + ": " + failure.getMessage());
          }
        });
  }

  private TransactionSender start(TransactionSender.Builder builder) {
    TransactionSender sender = builder.build();
    senders.add(sender);
    return sender;
  }

  private static TransactionRequest request(String id, int marker) {
    return TransactionRequest.builder(id, TARGET).data(new byte[] {(byte) marker}).build();
  }

  /** Mines while waiting, as a chain with block production would. */
  private void mineUntil(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      chain.mine();
      Thread.sleep(5);
    }
  }

  private long minedWith(int marker) {
    return chain.mined(ME).stream().filter(tx -> tx.data().length == 1 && tx.data()[0] == (byte) marker).count();
  }

  @Test
  void sendsOnceConfirmsAndAnswersTheSameIdWithTheSameHandle() throws Exception {
    TransactionSender sender = start(builder());
    TransactionHandle handle = sender.submit(request("pay/1", 1));
    assertSame(handle, sender.submit(request("pay/1", 1)), "idempotent by id");
    assertThrows(IllegalStateException.class, () -> sender.submit(request("pay/1", 2)), "another request under a used id");
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    ChainReceipt receipt = handle.whenConfirmed().get();
    assertTrue(receipt.success());
    assertEquals(1, minedWith(1));
    assertEquals(IntentState.CONFIRMED, journal.intent("pay/1").orElseThrow().state());
    assertEquals(1, chain.transactionCount(ME, false));
  }

  @Test
  void aRemoteSignerThatFailsIsTriedAgainAndNothingIsBroadcastMeanwhile() throws Exception {
    EvmSigner inMemory = EvmSigner.of(KEY);
    java.util.concurrent.atomic.AtomicBoolean reachable = new java.util.concurrent.atomic.AtomicBoolean(false);
    List<String> errors = new CopyOnWriteArrayList<>();
    EvmSigner remote = new EvmSigner() {
      @Override
      public EvmAddress address() {
        return ME;
      }

      @Override
      public EcdsaSignature signDigest(Hash32 digest) {
        if (!reachable.get()) {
          throw new SignerException("signing service of " + ME + " unreachable");
        }
        return inMemory.signDigest(digest);
      }
    };
    TransactionSender sender = start(builder().signer(remote).listener(new TransactionListener() {
      @Override
      public void onError(String what, Throwable error) {
        errors.add(String.valueOf(error.getMessage()));
      }
    }));
    TransactionHandle handle = sender.submit(request("pay/remote", 9));
    mineUntil(() -> !errors.isEmpty(), "the signer's failure is reported");
    assertTrue(errors.get(0).contains("unreachable"), errors.toString());
    assertEquals(0, minedWith(9));
    assertTrue(journal.intent("pay/remote").orElseThrow().attempts().isEmpty(), "no attempt journaled without a signature");
    reachable.set(true);
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed once the signer is back");
    assertEquals(1, minedWith(9));
  }

  @Test
  void aHandleOfAnIntentFinishedInAnEarlierRunCompletesAtOnce() throws Exception {
    TransactionSender first = start(builder());
    TransactionHandle handle = first.submit(request("pay/earlier", 3));
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    first.close();
    chain.revertWhen(tx -> tx.data().length == 1 && tx.data()[0] == 4);
    TransactionSender failing = start(builder().maxReverts(1));
    TransactionHandle doomed = failing.submit(request("pay/doomed", 4));
    mineUntil(() -> doomed.whenConfirmed().isDone(), "failed");
    failing.close();

    TransactionSender restarted = start(builder());
    ChainReceipt receipt = restarted.submit(request("pay/earlier", 3)).whenConfirmed().get(10, TimeUnit.SECONDS);
    assertEquals(handle.whenConfirmed().get().transactionHash(), receipt.transactionHash());
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> restarted.submit(request("pay/doomed", 4)).whenConfirmed().get(10, TimeUnit.SECONDS));
    assertTrue(failed.getCause() instanceof TransactionFailedException, failed.toString());
    assertEquals(1, minedWith(3), "nothing sent again");
  }

  private void awaitAttempts(String id, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (journal.intent(id).map(i -> i.attempts().size()).orElse(0) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + count + " attempts of " + id);
      }
      Thread.sleep(5);
    }
  }

  private void awaitPending(Hash32 hash) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (chain.pending(ME).stream().noneMatch(tx -> tx.hash().equals(hash))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + hash + " to be broadcast");
      }
      Thread.sleep(5);
    }
  }

  @Test
  void aCancelledPendingTransactionIsReplacedByATransferOfNothingToItself() throws Exception {
    chain.automine(false);
    TransactionSender sender = start(builder());
    TransactionHandle handle = sender.submit(request("pay/cancel-me", 5));
    awaitAttempts("pay/cancel-me", 1);
    assertTrue(sender.cancel("pay/cancel-me"));
    awaitAttempts("pay/cancel-me", 2);
    SignedAttempt first = journal.intent("pay/cancel-me").orElseThrow().attempts().get(0);
    SignedAttempt cancellation = journal.intent("pay/cancel-me").orElseThrow().attempts().get(1);
    assertEquals(first.nonce(), cancellation.nonce(), "same nonce");
    assertTrue(cancellation.maxFeePerGas().compareTo(first.maxFeePerGas()) > 0, "higher fees");
    awaitPending(cancellation.hash());
    mineUntil(() -> handle.whenConfirmed().isDone(), "settled");
    ExecutionException e = assertThrows(ExecutionException.class, () -> handle.whenConfirmed().get());
    assertEquals(TransactionFailedException.Reason.CANCELLED, ((TransactionFailedException) e.getCause()).reason());
    assertEquals(IntentState.CANCELLED, journal.intent("pay/cancel-me").orElseThrow().state());
    assertEquals(0, minedWith(5), "the payload never ran");
    assertEquals(1, chain.mined(ME).stream().filter(tx -> ME.equals(tx.to()) && tx.data().length == 0).count(), "the nonce went to the cancellation");
    assertFalse(sender.cancel("pay/cancel-me"), "finished");
    assertThrows(IllegalStateException.class, () -> sender.retry("pay/cancel-me"), "a cancelled intent is not given another round");
  }

  @Test
  void anIntentCancelledBeforeAnythingWasSentIsCancelledAtOnce() throws Exception {
    chain.deploy(TARGET, (from, data) -> {
      throw new FakeChain.Revert("paused");
    });
    TransactionSender sender = start(builder().maxReverts(100));
    TransactionHandle handle = sender.submit(request("pay/never", 6));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (journal.intent("pay/never").orElseThrow().reverts() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(sender.cancel("pay/never"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> handle.whenConfirmed().get(20, TimeUnit.SECONDS));
    assertEquals(TransactionFailedException.Reason.CANCELLED, ((TransactionFailedException) e.getCause()).reason());
    assertEquals(0, chain.sends(), "nothing was ever broadcast");
  }

  @Test
  void aSpeedUpReplacesThePendingTransactionAtOnceWithHigherFees() throws Exception {
    chain.automine(false);
    TransactionSender sender = start(builder());
    TransactionHandle handle = sender.submit(request("pay/faster", 8));
    awaitAttempts("pay/faster", 1);
    assertTrue(sender.speedUp("pay/faster"));
    awaitAttempts("pay/faster", 2);
    List<SignedAttempt> attempts = journal.intent("pay/faster").orElseThrow().attempts();
    assertTrue(attempts.get(1).maxFeePerGas().compareTo(attempts.get(0).maxFeePerGas()) > 0);
    awaitPending(attempts.get(1).hash());
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    assertEquals(attempts.get(1).hash(), handle.whenConfirmed().get().transactionHash(), "the faster one was mined");
    assertEquals(1, minedWith(8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (sender.follows("pay/faster") && sender.handle("pay/faster").orElseThrow().state() != IntentState.CONFIRMED
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertFalse(sender.speedUp("pay/faster"), "nothing pending any more");
  }

  @Test
  void revertedAttemptIsRetriedAFewTimesThenFailsLoudlyWithoutDrainingGas() throws Exception {
    chain.revertWhen(tx -> tx.to() != null && tx.to().equals(TARGET));
    TransactionSender sender = start(builder().maxReverts(3));
    TransactionHandle handle = sender.submit(request("anchor/1", 7));
    mineUntil(() -> handle.whenConfirmed().isCompletedExceptionally(), "failed");
    ExecutionException failed = assertThrows(ExecutionException.class, () -> handle.whenConfirmed().get());
    assertTrue(failed.getCause() instanceof TransactionFailedException, failed.toString());
    assertEquals(TransactionFailedException.Reason.REVERTED, ((TransactionFailedException) failed.getCause()).reason());
    assertEquals(IntentState.FAILED, journal.intent("anchor/1").orElseThrow().state());
    assertEquals(1, failures.size(), "surfaced once: " + failures);
    chain.mine(30);
    Thread.sleep(200);
    assertEquals(3, minedWith(7), "three reverted attempts, then nothing more is signed");
  }

  @Test
  void aFailedIntentGetsAnotherRoundOnceTheCauseIsGone() throws Exception {
    chain.revertWhen(tx -> tx.to() != null && tx.to().equals(TARGET));
    TransactionSender sender = start(builder().maxReverts(2));
    TransactionHandle handle = sender.submit(request("anchor/9", 5));
    mineUntil(() -> handle.whenConfirmed().isCompletedExceptionally(), "failed");
    assertThrows(IllegalStateException.class, () -> sender.retry("anchor/404"), "unknown intent");
    chain.clearReverts(); // the operator removed the cause
    TransactionHandle again = sender.retry("anchor/9");
    assertSame(again, sender.retry("anchor/9"), "retrying again while it runs changes nothing");
    mineUntil(() -> again.whenConfirmed().isDone(), "confirmed after the retry");
    assertTrue(again.whenConfirmed().get().success());
    assertEquals(3, minedWith(5), "two reverted, one successful");
    TransactionIntent stored = journal.intent("anchor/9").orElseThrow();
    assertEquals(IntentState.CONFIRMED, stored.state());
    assertEquals(0, stored.reverts(), "a fresh round");
    assertTrue(handle.whenConfirmed().isCompletedExceptionally(), "the old handle keeps its outcome");
  }

  @Test
  void aRevertThenSuccessEndsInOneEffectiveTransaction() throws Exception {
    AtomicInteger reverts = new AtomicInteger();
    chain.revertWhen(tx -> tx.to() != null && tx.to().equals(TARGET) && reverts.getAndIncrement() == 0);
    TransactionSender sender = start(builder());
    TransactionHandle handle = sender.submit(request("anchor/2", 8));
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    assertTrue(handle.whenConfirmed().get().success());
    assertEquals(2, minedWith(8), "one reverted, one successful");
    assertEquals(1, journal.intent("anchor/2").orElseThrow().reverts());
  }

  @Test
  void aFailedJournalWriteAfterTheNonceWasChosenBurnsNoNonce() throws Exception {
    journal.failNext(op -> op.equals("recordAttempt"));
    TransactionSender sender = start(builder());
    TransactionHandle first = sender.submit(request("pay/a", 1));
    TransactionHandle second = sender.submit(request("pay/b", 2));
    mineUntil(() -> first.whenConfirmed().isDone() && second.whenConfirmed().isDone(), "both confirmed");
    List<FakeChain.Tx> mined = chain.mined(ME);
    assertEquals(2, mined.size());
    assertEquals(List.of(0L, 1L), mined.stream().map(FakeChain.Tx::nonce).sorted().toList(), "no gap in the nonces");
  }

  @Test
  void anEmptyReceiptFromALaggingNodeIsUnknownNotAReorganization() throws Exception {
    TransactionSender sender = start(builder().confirmations(5));
    TransactionHandle handle = sender.submit(request("anchor/3", 3));
    mineUntil(() -> handle.whenMined().isDone(), "mined");
    chain.lagReceipts(50);
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    assertEquals(1, minedWith(3), "never sent again");
    assertEquals(1, journal.intent("anchor/3").orElseThrow().attempts().size());
  }

  @Test
  void aReorganizedTransactionIsBroadcastAgainNotSignedAgain() throws Exception {
    chain.automine(false);
    List<MinedTransaction> reorged = new CopyOnWriteArrayList<>();
    TransactionSender sender = start(builder().confirmations(2).listener(new TransactionListener() {
      @Override
      public void onReorged(TransactionIntent intent, MinedTransaction former) {
        reorged.add(former);
      }
    }));
    TransactionHandle handle = sender.submit(request("anchor/4", 4));
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    Hash32 hash = handle.whenConfirmed().get().transactionHash();
    chain.reorg((int) (chain.blockNumber() - handle.whenConfirmed().get().blockNumber() + 1), false);
    assertTrue(chain.receipt(hash).isEmpty(), "gone with the reorganization");
    mineUntil(() -> chain.receipt(hash).isPresent() && !reorged.isEmpty()
        && journal.intent("anchor/4").orElseThrow().state() == IntentState.CONFIRMED, "mined and confirmed again");
    assertEquals(1, minedWith(4), "the same transaction, once");
    assertEquals(1, journal.intent("anchor/4").orElseThrow().attempts().size(), "never signed again");
  }

  @Test
  void anUnderpricedTransactionIsReplacedAtTheSameNonce() throws Exception {
    chain.mine();
    chain.baseFee(BigInteger.valueOf(150_000_000_000L)); // far above what the last block's fee suggests
    TransactionSender sender = start(builder());
    TransactionHandle handle = sender.submit(request("pay/c", 5));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!handle.whenMined().isDone() && System.nanoTime() < deadline) {
      Thread.sleep(5); // no new blocks: the sender's fee quote stays low, and the node keeps refusing it
    }
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    TransactionIntent intent = journal.intent("pay/c").orElseThrow();
    assertTrue(intent.attempts().size() > 1, "replaced: " + intent.attempts());
    assertTrue(intent.attempts().stream().allMatch(a -> a.nonce() == 0), "all at the same nonce");
    assertEquals(1, chain.transactionCount(ME, false));
    assertEquals(1, minedWith(5));
  }

  @Test
  void aDroppedTransactionIsBroadcastAgain() throws Exception {
    chain.automine(false);
    TransactionSender sender = start(builder());
    TransactionHandle handle = sender.submit(request("pay/d", 6));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (chain.pending(ME).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Hash32 hash = chain.pending(ME).get(0).hash();
    assertTrue(chain.drop(hash));
    while (chain.pending(ME).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(hash, chain.pending(ME).get(0).hash(), "the same transaction is back in the pool");
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    assertEquals(1, minedWith(6));
  }

  @Test
  void aNonceTakenByAnotherTransactionIsSignedAgainOnlyAfterTheAppliedCheck() throws Exception {
    chain.automine(false);
    AtomicInteger checks = new AtomicInteger();
    TransactionSender sender = start(builder().appliedCheck((intent, client) -> {
      checks.incrementAndGet();
      return Optional.empty();
    }));
    TransactionHandle handle = sender.submit(request("pay/e", 9));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (chain.pending(ME).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    // Someone else with the same key takes nonce 0 with higher fees.
    FakeChain.Tx ours = chain.pending(ME).get(0);
    TransactionSigner other = new TransactionSigner(KEY, 31337);
    chain.sendRawTransaction(other.sign(0, ME, new byte[0], BigInteger.valueOf(21_000), ours.maxFeePerGas().multiply(BigInteger.TWO),
        ours.maxPriorityFeePerGas().multiply(BigInteger.TWO)).raw());
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    assertEquals(1, minedWith(9), "the intent's effect once");
    assertEquals(2, chain.transactionCount(ME, false), "the intruder's nonce 0, ours 1");
    assertTrue(checks.get() >= 2, "checked before signing at nonce 0 and again before nonce 1");
  }

  @Test
  void receiptsThatLagTheNonceCountNeverCauseASecondTransaction() throws Exception {
    // Counts come from an up-to-date node, receipts and logs from one 5 blocks behind.
    chain.lagBlocks(5).finalityDepth(20);
    TransactionSender sender = start(builder().confirmations(2));
    List<TransactionHandle> handles = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      handles.add(sender.submit(request("anchor/" + (20 + i), 20 + i)));
    }
    mineUntil(() -> handles.stream().allMatch(h -> h.whenConfirmed().isDone()), "all confirmed");
    for (int i = 0; i < 5; i++) {
      assertEquals(1, minedWith(20 + i), "intent " + i + " sent once");
      assertTrue(handles.get(i).whenConfirmed().get().success());
    }
    assertEquals(5, chain.mined(ME).size(), "not one extra transaction");
  }

  @Test
  void aReceiptMissedOnceIsLookedUpAgainOnAChainThatDoesNotMove() throws Exception {
    // Automine: a block per transaction and none otherwise, as a local development node.
    TransactionSender sender = start(builder().confirmations(1));
    chain.lagReceipts(3); // the first lookups after mining answer "unknown"
    TransactionHandle handle = sender.submit(request("anchor/30", 30));
    ChainReceipt receipt = handle.whenConfirmed().get(20, TimeUnit.SECONDS);
    assertTrue(receipt.success());
    assertEquals(1, minedWith(30));
  }

  @Test
  void anIntentAlreadyAppliedOnChainIsNotSentAgain() throws Exception {
    TransactionSigner other = new TransactionSigner(KEY, 31337);
    Hash32 earlier = chain.sendRawTransaction(other.sign(0, TARGET, new byte[] {42}, BigInteger.valueOf(30_000),
        BigInteger.valueOf(10_000_000_000L), BigInteger.ONE).raw());
    TransactionSender sender = start(builder().appliedCheck((intent, client) -> Optional.of(earlier)));
    TransactionHandle handle = sender.submit(request("anchor/5", 42));
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    assertEquals(earlier, handle.whenConfirmed().get().transactionHash());
    assertEquals(1, minedWith(42));
    assertTrue(journal.intent("anchor/5").orElseThrow().attempts().isEmpty(), "nothing was signed");
  }

  @Test
  void anAppliedCheckThatFindsAConflictFailsTheIntentWithoutSigning() throws Exception {
    TransactionSender sender = start(builder().appliedCheck((intent, client) -> {
      throw new IllegalStateException("batch 5 is anchored with another root");
    }));
    TransactionHandle handle = sender.submit(request("anchor/6", 43));
    mineUntil(() -> handle.whenConfirmed().isDone(), "failed");
    assertTrue(handle.whenConfirmed().isCompletedExceptionally());
    assertEquals(0, chain.sends());
    assertTrue(failures.get(0).contains("CONFLICT") && failures.get(0).contains("another root"), failures.toString());
  }

  @Test
  void aRestartedSenderContinuesFromTheJournalWithoutSigningAgain() throws Exception {
    chain.automine(false);
    TransactionSender first = start(builder());
    first.submit(request("pay/f", 10));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (chain.pending(ME).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    first.close();
    Hash32 signed = journal.intent("pay/f").orElseThrow().current().orElseThrow().hash();
    chain.drop(signed); // and the node forgot it while nobody was looking
    TransactionSender second = start(builder());
    TransactionHandle handle = second.handle("pay/f").orElseThrow();
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    assertEquals(signed, handle.whenConfirmed().get().transactionHash(), "the journaled transaction, broadcast again");
    assertEquals(1, journal.intent("pay/f").orElseThrow().attempts().size());
  }

  @Test
  void aSenderWhoseJournalIsLedElsewhereSignsNothingMore() throws Exception {
    chain.automine(false);
    TransactionSender sender = start(builder());
    journal.fence();
    assertThrows(LeaseLostException.class, () -> sender.submit(request("pay/g", 11)));
    journal.recordIntentUnfenced(TransactionIntent.create("pay/h", ME, TARGET, new byte[] {12}, BigInteger.ZERO,
        java.time.Instant.now(), 0));
    TransactionSender zombie = start(builder());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (zombie.isRunning() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertFalse(zombie.isRunning(), "it stopped at its first refused write");
    assertEquals(0, chain.sends(), "and broadcast nothing");
  }

  @Test
  void aNonceNoLiveAttemptHoldsIsFilled() throws Exception {
    // The journal says nonce 1 was signed for an intent, but nothing holds nonce 0 (a journal restored
    // from a backup, say): the intent would wait behind the gap for ever.
    TransactionSigner signer = new TransactionSigner(KEY, 31337);
    TransactionSigner.Signed signed = signer.sign(1, TARGET, new byte[] {13}, BigInteger.valueOf(30_000),
        BigInteger.valueOf(10_000_000_000L), BigInteger.valueOf(1_000_000_000L));
    journal.recordIntent(TransactionIntent.create("pay/i", ME, TARGET, new byte[] {13}, BigInteger.ZERO, java.time.Instant.now(), 0));
    journal.recordAttempt("pay/i", new SignedAttempt(1, signed.hash(), signed.raw(), BigInteger.valueOf(10_000_000_000L),
        BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(30_000), null));
    TransactionSender sender = start(builder());
    TransactionHandle handle = sender.handle("pay/i").orElseThrow();
    mineUntil(() -> handle.whenConfirmed().isDone(), "confirmed");
    assertEquals(2, chain.transactionCount(ME, false), "nonce 0 filled, nonce 1 mined");
    assertEquals(1, minedWith(13));
  }
}
