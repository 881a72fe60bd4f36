package io.chainseal.chain;

import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reliable-transaction layer every on-chain sender of Chainseal shares (anchors, payments, votes):
 * each submitted {@link TransactionRequest} takes effect <em>once</em>, whatever the node, the network
 * or the process does.
 *
 * <pre>{@code
 * TransactionSender sender = TransactionSender.builder()
 *     .chain(chain).key(operatorKey).journal(journal).build();      // recovers what the journal holds
 * TransactionHandle handle = sender.submit(TransactionRequest.builder("payment/42", to).value(wei).build());
 * ChainReceipt receipt = handle.whenConfirmed().get();
 * }</pre>
 *
 * <p><b>How.</b> One thread owns every intent of the key. An intent is journaled when submitted; each
 * signed attempt is journaled <em>before</em> it is broadcast, and the nonce counter moves only after
 * that write succeeded (a failed write burns no nonce). Before signing at a new nonce it asks the
 * {@link AppliedCheck} whether the intent's effect is already on chain. Pending attempts are broadcast
 * again every {@code rebroadcastInterval}, and replaced at the same nonce with fees at least 12.5 %
 * higher (within {@code maxFeePerGas}) when refused as underpriced or pending past {@code replaceAfter}.
 * A reverted attempt is retired and the intent tried again, at most {@code maxReverts} times, then
 * FAILED and reported ({@link #retry} gives it another round). A nonce that went to another
 * transaction retires the intent's attempts — believed only once it holds for {@code nonceTakenBlocks}
 * blocks and at the finalized block with no receipt for any attempt, since a node serving receipts may
 * lag the one serving counts; before any new nonce every earlier attempt is looked up. An empty receipt is
 * "unknown", never "reorganized": only a changed block hash at the mined height is a reorganization, and
 * then the mined transaction is broadcast again. Mined intents are confirmed after
 * {@code confirmations} blocks and watched for {@code reorgDepth} blocks. After a restart, every open
 * intent continues from the journal, and any nonce between the chain's count and the highest journaled
 * one that no live attempt holds is filled with an empty transfer to self.
 *
 * <p>The state machine is {@link IntentState}'s. A journal write refused with
 * {@link LeaseLostException} (another process leads the journal) stops the sender at once: it signs and
 * broadcasts nothing more. Thread-safe; one sender per key and journal.
 */
public final class TransactionSender implements AutoCloseable {
  /** Confirmations required by default, here and by Chainseal's verifiers and anchorer: the anchoring block and 2 more. */
  public static final int DEFAULT_CONFIRMATIONS = 3;

  private static final Logger log = LoggerFactory.getLogger(TransactionSender.class);
  /** Gas of a plain transfer: what a cancellation (a transfer of nothing to oneself) uses. */
  private static final BigInteger CANCEL_GAS = BigInteger.valueOf(21_000);
  private static final BigInteger MIN_GAS = BigInteger.valueOf(21_000);
  /** Ids of the empty transfers that fill nonce gaps. */
  private static final String FILLER = "nonce-filler/";
  /** How often receipts are looked up again at an unchanged head. */
  private static final Duration LOOK_AGAIN = Duration.ofSeconds(1);
  /** How long without a new block, while transactions wait for confirmations, before a warning. */
  static final Duration STALLED = Duration.ofSeconds(30);

  private final ChainClient chain;
  private final TransactionJournal journal;
  private final TransactionSigner signer;
  private final EvmAddress sender;
  private final AppliedCheck appliedCheck;
  private final List<TransactionListener> listeners;
  private final Executor callbacks;
  private final int confirmations;
  private final int reorgDepth;
  private final int maxReverts;
  private final int nonceTakenBlocks;
  private final BigInteger maxFeePerGas;
  private final Duration pollInterval;
  private final Duration rebroadcastInterval;
  private final Duration replaceAfter;
  private final Clock clock;

  private final ConcurrentHashMap<String, TransactionHandle> handles = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<TransactionIntent> submitted = new ConcurrentLinkedQueue<>();
  /** Ids the worker follows or has queued: an open intent missing here is picked up again by submit or retry. */
  private final Set<String> followed = ConcurrentHashMap.newKeySet();
  private final Thread worker;
  private final Object wake = new Object();
  private volatile boolean running = true;
  private volatile @Nullable LeaseLostException fenced;
  private volatile long lastHead;
  /** The head last seen, since when, and whether its stall was reported: the sender's thread only. */
  private @Nullable Hash32 stallHead;
  private long stallSinceNanos;
  private boolean stallWarned;

  /** Worker-thread state. */
  private final Map<String, Tracked> open = new LinkedHashMap<>();
  private long nextNonce;
  /** Whether to look for nonces no live attempt holds: after a restart, and after a nonce went elsewhere. */
  private boolean gapCheckDue = true;
  /** Ids the caller asked to cancel or speed up; the worker acts on them at its next step of each. */
  private final Set<String> cancelRequests = ConcurrentHashMap.newKeySet();
  private final Set<String> speedUpRequests = ConcurrentHashMap.newKeySet();

  /** An intent as the worker follows it. */
  private static final class Tracked {
    TransactionIntent intent;
    final TransactionHandle handle;
    long lastBroadcastNanos;
    long sentNanos;
    long nonceTakenSinceBlock = -1;
    long retryAtNanos;
    /** Why the current attempt must be replaced at the next look (refused as underpriced), or null. */
    @Nullable String replaceBecause;
    /** A cancellation of its nonce was signed: replacements re-sign the cancellation. */
    boolean cancelling;
    @Nullable ChainReceipt minedReceipt;
    /** The depth last told to listeners for the current mined block: 0 none. */
    long toldDepth;
    /**
     * The head at the intent's last look at receipts and counts, and when: they change with a new head,
     * or when a node that answered "unknown" catches up — so a look is repeated at a new head, or at
     * least every {@link #LOOK_AGAIN} (a chain that mines only on demand may not move for a long time).
     */
    @Nullable Hash32 lookedAtHead;
    long lookedAtNanos;

    boolean looked(ChainBlock head) {
      return head.hash().equals(lookedAtHead) && System.nanoTime() - lookedAtNanos < LOOK_AGAIN.toNanos();
    }

    void look(ChainBlock head) {
      lookedAtHead = head.hash();
      lookedAtNanos = System.nanoTime();
    }

    Tracked(TransactionIntent intent, TransactionHandle handle) {
      this.intent = intent;
      this.handle = handle;
    }
  }

  private TransactionSender(Builder b) {
    this.chain = Objects.requireNonNull(b.chain, "chain is not set");
    this.journal = Objects.requireNonNull(b.journal, "journal is not set");
    EvmSigner key = Objects.requireNonNull(b.key, "key is not set");
    this.signer = new TransactionSigner(key, chain.chainId());
    this.sender = signer.address();
    this.appliedCheck = b.appliedCheck;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.callbacks = b.callbacks;
    this.confirmations = b.confirmations;
    this.reorgDepth = b.reorgDepth;
    this.maxReverts = b.maxReverts;
    this.nonceTakenBlocks = b.nonceTakenBlocks;
    this.maxFeePerGas = b.maxFeePerGas;
    this.pollInterval = b.pollInterval;
    this.rebroadcastInterval = b.rebroadcastInterval;
    this.replaceAfter = b.replaceAfter;
    this.clock = b.clock;
    recover();
    this.worker = new Thread(this::run, b.threadName != null ? b.threadName
        : "chainseal-tx-" + sender.lowercase().substring(0, 10) + "-" + Integer.toHexString(System.identityHashCode(this)));
    worker.setDaemon(true);
    worker.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The sending account. */
  public EvmAddress sender() {
    return sender;
  }

  // ---------------------------------------------------------------------------------------------
  // Submitting

  /**
   * Journals the request as an intent (durable when this returns) and hands it to the sender thread.
   * Idempotent by id: the same id again returns the same handle.
   *
   * @throws IllegalStateException if the id is taken by another request
   * @throws LeaseLostException if another process leads the journal
   * @throws IllegalStateException if the sender is closed
   */
  public TransactionHandle submit(TransactionRequest request) {
    Objects.requireNonNull(request, "request == null");
    if (!running) {
      throw new IllegalStateException("the transaction sender is closed" + (fenced != null ? ": " + fenced.getMessage() : ""));
    }
    TransactionIntent fresh = TransactionIntent.create(request.id(), sender, request.to(), request.data(), request.value(),
        clock.instant(), lastHead);
    TransactionIntent stored = journal.recordIntent(fresh);
    if (!stored.sameRequest(fresh)) {
      throw new IllegalStateException("intent " + request.id() + " exists for another request");
    }
    TransactionHandle handle = handles.computeIfAbsent(stored.id(), id -> handleOf(stored));
    if (stored.state().isOpen() && followed.add(stored.id())) {
      submitted.add(stored); // new, or journaled earlier by a call whose answer was lost
    }
    synchronized (wake) {
      wake.notifyAll();
    }
    return handle;
  }

  /**
   * A handle for an intent first seen in this process: one finished before (in an earlier run, say)
   * has its outcome at once — the receipt of its mined transaction, or its failure.
   */
  private TransactionHandle handleOf(TransactionIntent stored) {
    TransactionHandle handle = new TransactionHandle(stored.id(), stored.state());
    if (stored.state() == IntentState.CONFIRMED && stored.mined() != null) {
      try {
        chain.receipt(stored.mined().hash()).filter(ChainReceipt::success).ifPresent(receipt -> callbacks.execute(() -> {
          handle.mined.complete(receipt);
          handle.confirmed.complete(receipt);
        }));
      } catch (ChainException e) {
        notifyError(stored.id() + ": receipt of its confirmed transaction", e);
      }
    } else if (stored.state() == IntentState.FAILED) {
      TransactionFailedException failure = new TransactionFailedException(stored.id(), TransactionFailedException.Reason.REVERTED,
          "it was given up before (see the journal); retry(id) gives it another round");
      callbacks.execute(() -> {
        handle.mined.completeExceptionally(failure);
        handle.confirmed.completeExceptionally(failure);
      });
    }
    return handle;
  }

  /**
   * Gives a FAILED intent another round, once whatever made it fail is gone (the publisher allowed, the
   * contract unpaused): it goes back to PENDING with its revert count reset, journaled, and like any
   * pending intent is checked against the chain (the {@link AppliedCheck}) before anything is signed.
   *
   * @return the intent's new handle (the old one failed for good)
   * @throws IllegalStateException if the intent is unknown or not FAILED, or the sender is closed
   * @throws LeaseLostException if another process leads the journal
   */
  public TransactionHandle retry(String id) {
    Objects.requireNonNull(id, "id == null");
    if (!running) {
      throw new IllegalStateException("the transaction sender is closed" + (fenced != null ? ": " + fenced.getMessage() : ""));
    }
    TransactionIntent intent = journal.intent(id).orElseThrow(() -> new IllegalStateException("no intent " + id));
    if (intent.state() == IntentState.FAILED) {
      try {
        journal.recordState(id, IntentState.PENDING, null, 0);
      } catch (JournalException e) {
        // The write may have landed and only its answer been lost: carry on if it did.
        if (journal.intent(id).map(stored -> stored.state() != IntentState.PENDING).orElse(true)) {
          throw e;
        }
      }
      intent = intent.withState(IntentState.PENDING, null, 0);
    } else if (!intent.state().isOpen()) {
      throw new IllegalStateException("intent " + id + " is " + intent.state() + ", not FAILED");
    } else if (followed.contains(id)) {
      return Objects.requireNonNull(handles.get(id), "handle of a followed intent"); // already given another round
    }
    TransactionHandle handle = new TransactionHandle(id, intent.state());
    handles.put(id, handle);
    if (followed.add(id)) {
      submitted.add(intent);
    }
    log.info("{}: given another round", id);
    synchronized (wake) {
      wake.notifyAll();
    }
    return handle;
  }

  /** The handle of intent {@code id}, if it was submitted or recovered in this process. */
  public Optional<TransactionHandle> handle(String id) {
    return Optional.ofNullable(handles.get(id));
  }

  /**
   * Asks to cancel intent {@code id}: if nothing of it is on chain yet it is cancelled at once; if a
   * transaction of it is pending, a zero-value transfer to the sender itself is sent at the same nonce
   * with higher fees. Whichever is mined first wins: the handle fails with
   * {@link TransactionFailedException.Reason#CANCELLED}, or completes as usual if the original was
   * mined first. Asynchronous: the sender's thread acts at its next step.
   *
   * @return false if the intent is not followed (unknown, finished, or already mined)
   */
  public boolean cancel(String id) {
    Objects.requireNonNull(id, "id == null");
    TransactionHandle handle = handles.get(id);
    if (!followed.contains(id) || handle == null || handle.state == IntentState.MINED || handle.state == IntentState.CONFIRMED) {
      return false;
    }
    cancelRequests.add(id);
    synchronized (wake) {
      wake.notifyAll();
    }
    return true;
  }

  /**
   * Asks to replace intent {@code id}'s pending transaction now with higher fees (at least 12.5 % more,
   * within the max-fee cap), instead of waiting for {@code replaceAfter}; one not signed yet is sped up
   * as soon as it is. Asynchronous: the sender's thread acts at its next step.
   *
   * @return false if the intent is not followed (unknown or finished) or already mined
   */
  public boolean speedUp(String id) {
    Objects.requireNonNull(id, "id == null");
    TransactionHandle handle = handles.get(id);
    if (!followed.contains(id) || handle == null || handle.state == IntentState.MINED || handle.state == IntentState.CONFIRMED) {
      return false;
    }
    speedUpRequests.add(id);
    synchronized (wake) {
      wake.notifyAll();
    }
    return true;
  }

  /** Whether the sender follows intent {@code id} now (it is open and queued or being worked on). */
  public boolean follows(String id) {
    return followed.contains(id);
  }

  /**
   * Stops signing and broadcasting at once, without waiting for the sender's thread — so a listener may
   * call it (e.g. on learning that its journal contradicts the chain). Open intents stay journaled.
   * Follow with {@link #close()} from another thread.
   */
  public void halt() {
    running = false;
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Whether its thread has ended (some time after {@link #close()}, or after it was fenced off). */
  public boolean isStopped() {
    return !worker.isAlive();
  }

  /** Whether the sender still works: false once closed or fenced off by another leader. */
  public boolean isRunning() {
    return running;
  }

  // ---------------------------------------------------------------------------------------------
  // Recovery

  private void recover() {
    ChainBlock head = chain.block(BlockTag.LATEST).orElseThrow(
        () -> new ChainException(ChainException.Kind.MALFORMED_ANSWER, "the endpoint reports no latest block"));
    lastHead = head.number();
    long chainNext = chain.transactionCount(sender, true);
    long journalNext = journal.highestNonce(sender).orElse(-1) + 1;
    nextNonce = Math.max(chainNext, journalNext);
    List<TransactionIntent> recovered = new ArrayList<>(journal.openIntents(sender));
    // Confirmed lately: a reorganization may still remove them, and must be seen after a restart too.
    recovered.addAll(journal.confirmedSince(sender, Math.max(0, head.number() - reorgDepth)));
    for (TransactionIntent intent : recovered) {
      TransactionHandle handle = handleOf(intent); // a confirmed one's futures complete at once
      handles.put(intent.id(), handle);
      Tracked tracked = new Tracked(intent, handle);
      tracked.sentNanos = System.nanoTime(); // broadcast again at once, replace only if still stuck later
      tracked.cancelling = intent.liveAttempts().stream().anyMatch(attempt -> isCancellation(intent, attempt));
      open.put(intent.id(), tracked);
      followed.add(intent.id());
    }
    if (!open.isEmpty()) {
      log.info("{}: recovered {} transactions (open, or confirmed lately and still watched); next nonce {}", sender,
          open.size(), nextNonce);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The worker

  private void run() {
    long backoffMillis = pollInterval.toMillis();
    while (running) {
      try {
        tick();
        backoffMillis = pollInterval.toMillis();
        await(pollInterval.toMillis());
      } catch (LeaseLostException e) {
        stopFenced(e);
        return;
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      } catch (ChainException | JournalException | SignerException e) {
        notifyError("transactions of " + sender, e);
        backoffMillis = Math.min(backoffMillis * 2 + 1, 2_000);
        pauseQuietly(backoffMillis);
      } catch (RuntimeException e) {
        log.error("transaction sender of {}: unexpected failure; carrying on", sender, e);
        notifyError("transactions of " + sender, e);
        backoffMillis = Math.min(backoffMillis * 2 + 1, 2_000);
        pauseQuietly(backoffMillis);
      }
    }
  }

  // A timed pause that a submission or stop may end early; the caller's loop rechecks everything.
  @SuppressWarnings("WaitNotInLoop")
  private void await(long millis) throws InterruptedException {
    synchronized (wake) {
      if (submitted.isEmpty() && running) {
        wake.wait(Math.max(1, millis));
      }
    }
  }

  private void pauseQuietly(long millis) {
    try {
      await(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopFenced(LeaseLostException e) {
    fenced = e;
    running = false;
    log.warn("{}: another process leads the journal now; this sender stops ({})", sender, e.getMessage());
    notifyError("transactions of " + sender, e);
  }

  private void tick() {
    for (TransactionIntent intent; (intent = submitted.poll()) != null; ) {
      if (!open.containsKey(intent.id()) && intent.state().isOpen()) {
        open.put(intent.id(), new Tracked(intent, Objects.requireNonNull(handles.get(intent.id()), "handle of a submitted intent")));
      } else if (!open.containsKey(intent.id())) {
        followed.remove(intent.id());
      }
    }
    if (open.isEmpty()) {
      return;
    }
    ChainBlock head = chain.block(BlockTag.LATEST).orElseThrow(
        () -> new ChainException(ChainException.Kind.MALFORMED_ANSWER, "the endpoint reports no latest block"));
    lastHead = head.number();
    warnIfBlocksStopped(head);
    if (gapCheckDue) {
      gapCheckDue = false;
      fillNonceGaps();
    }
    for (Tracked tracked : new ArrayList<>(open.values())) {
      if (!running) {
        return;
      }
      step(tracked, head);
      tracked.handle.state = tracked.intent.state();
      boolean settled = tracked.intent.state() == IntentState.FAILED || tracked.intent.state() == IntentState.CANCELLED
          || (tracked.intent.state() == IntentState.CONFIRMED && tracked.minedReceipt != null
              && head.number() - tracked.minedReceipt.blockNumber() + 1 >= reorgDepth);
      if (settled) {
        open.remove(tracked.intent.id());
        if (tracked.intent.state() != IntentState.FAILED) {
          followed.remove(tracked.intent.id()); // a FAILED one left it when it failed (and may be retried by now)
        }
      }
    }
  }

  private void step(Tracked t, ChainBlock head) {
    String id = t.intent.id();
    if (t.intent.state() == IntentState.SENT && !t.cancelling && speedUpRequests.remove(id)) {
      t.replaceBecause = "a speed-up was asked";
    } else if (t.intent.state() != IntentState.PENDING && t.intent.state() != IntentState.SENT) {
      speedUpRequests.remove(id); // mined or finished meanwhile: nothing to speed up
    }
    if (cancelRequests.remove(id) && !startCancel(t)) {
      return;
    }
    switch (t.intent.state()) {
      case PENDING -> pending(t);
      case SENT -> sent(t, head);
      case MINED, CONFIRMED -> minedOrConfirmed(t, head);
      case FAILED, CANCELLED -> { }
    }
  }

  /**
   * Acts on a cancel request: a PENDING intent (nothing live on chain) is cancelled at once, unless an
   * earlier attempt was mined after all; a SENT one gets a zero-value transfer to the sender itself at
   * its nonce, with higher fees, which settles it as CANCELLED if it is mined first.
   *
   * @return whether to go on with the step
   */
  private boolean startCancel(Tracked t) {
    switch (t.intent.state()) {
      case PENDING -> {
        for (SignedAttempt attempt : t.intent.attempts()) {
          Optional<ChainReceipt> receipt = chain.receipt(attempt.hash());
          if (receipt.isPresent() && receipt.get().success()) {
            log.info("{}: not cancelled: attempt {} was mined", t.intent.id(), attempt.hash().hex0x());
            mined(t, receipt.get());
            return false;
          }
        }
        cancelled(t, "cancelled before anything was sent");
        return false;
      }
      case SENT -> {
        if (!t.cancelling) {
          List<SignedAttempt> live = t.intent.liveAttempts();
          if (!live.isEmpty()) {
            t.cancelling = true;
            SignedAttempt current = live.get(live.size() - 1);
            log.info("{}: cancelling {} at nonce {} with a zero-value transfer to itself", t.intent.id(), current.hash().hex0x(),
                current.nonce());
            replace(t, current, "cancelled");
          }
        }
        return true;
      }
      default -> {
        return true; // mined already: too late to cancel
      }
    }
  }

  private void cancelled(Tracked t, String detail) {
    journal.recordState(t.intent.id(), IntentState.CANCELLED, null, t.intent.reverts());
    t.intent = t.intent.withState(IntentState.CANCELLED, null, t.intent.reverts());
    followed.remove(t.intent.id());
    log.info("{}: {}", t.intent.id(), detail);
    TransactionIntent intent = t.intent;
    TransactionFailedException failure = new TransactionFailedException(intent.id(), TransactionFailedException.Reason.CANCELLED, detail);
    for (TransactionListener listener : listeners) {
      call(() -> listener.onFailed(intent, failure));
    }
    callbacks.execute(() -> {
      t.handle.mined.completeExceptionally(failure);
      t.handle.confirmed.completeExceptionally(failure);
    });
  }

  /** Whether {@code attempt} is a cancellation: a transfer of nothing to the sender itself (an intent never targets its sender). */
  private boolean isCancellation(TransactionIntent intent, SignedAttempt attempt) {
    if (intent.to().equals(sender)) {
      return false;
    }
    org.web3j.crypto.RawTransaction tx = org.web3j.crypto.TransactionDecoder.decode(org.web3j.utils.Numeric.toHexString(attempt.raw()));
    return tx.getTo() != null && EvmAddress.fromHex(tx.getTo()).equals(sender) && tx.getValue().signum() == 0
        && org.web3j.utils.Numeric.hexStringToByteArray(tx.getData()).length == 0;
  }

  private void pending(Tracked t) {
    if (System.nanoTime() < t.retryAtNanos) {
      return;
    }
    // Any attempt of ours that was mined after all (a node that lagged when it was retired) settles it.
    for (SignedAttempt attempt : t.intent.attempts()) {
      Optional<ChainReceipt> receipt = chain.receipt(attempt.hash());
      if (receipt.isPresent() && receipt.get().success()) {
        log.info("{}: attempt {} was mined after all; not signing again", t.intent.id(), attempt.hash().hex0x());
        mined(t, receipt.get());
        return;
      }
    }
    Optional<Hash32> applied;
    try {
      applied = appliedCheck.appliedBy(t.intent, chain);
    } catch (IllegalStateException conflict) {
      fail(t, TransactionFailedException.Reason.CONFLICT, String.valueOf(conflict.getMessage()));
      return;
    }
    if (applied.isPresent()) {
      Optional<ChainReceipt> receipt = chain.receipt(applied.get());
      if (receipt.isPresent() && receipt.get().success()) {
        log.info("{}: already applied on chain by {}; not sending it again", t.intent.id(), applied.get().hex0x());
        mined(t, receipt.get());
      } else {
        t.retryAtNanos = System.nanoTime() + Math.min(rebroadcastInterval.toNanos(), Duration.ofSeconds(1).toNanos());
      }
      return; // a lagging node: the receipt comes later
    }
    BigInteger gas;
    try {
      BigInteger estimate = chain.estimateGas(sender, t.intent.to(), t.intent.value(), t.intent.data());
      gas = estimate.multiply(BigInteger.valueOf(13)).divide(BigInteger.TEN).max(MIN_GAS);
    } catch (ChainException e) {
      if (e.kind() != ChainException.Kind.REVERTED) {
        throw e;
      }
      reverted(t, "its call reverts (eth_estimateGas: " + e.getMessage() + ")", null);
      return;
    }
    FeeQuote fees = FeeQuote.current(chain, maxFeePerGas);
    if (!running) {
      return; // closed or halted while asking the node: sign nothing more
    }
    SignedAttempt attempt = sign(t, nextNonce, gas, fees.maxFeePerGas(), fees.maxPriorityFeePerGas());
    nextNonce++;
    t.sentNanos = System.nanoTime();
    t.nonceTakenSinceBlock = -1;
    broadcast(t, attempt);
  }

  /** Signs and journals an attempt; the caller advances nonces only after this returns. */
  private SignedAttempt sign(Tracked t, long nonce, BigInteger gas, BigInteger maxFee, BigInteger tip) {
    TransactionSigner.Signed signed = t.cancelling
        ? signer.sign(nonce, sender, BigInteger.ZERO, new byte[0], CANCEL_GAS, maxFee, tip)
        : signer.sign(nonce, t.intent.to(), t.intent.value(), t.intent.data(), gas, maxFee, tip);
    if (t.cancelling) {
      gas = CANCEL_GAS;
    }
    SignedAttempt attempt = new SignedAttempt(nonce, signed.hash(), signed.raw(), maxFee, tip, gas, null);
    journal.recordAttempt(t.intent.id(), attempt);
    List<SignedAttempt> attempts = new ArrayList<>(t.intent.attempts());
    attempts.add(attempt);
    t.intent = t.intent.withAttempts(attempts).withState(IntentState.SENT, null, t.intent.reverts());
    for (TransactionListener listener : listeners) {
      call(() -> listener.onAttempt(t.intent, attempt));
    }
    return attempt;
  }

  private void broadcast(Tracked t, SignedAttempt attempt) {
    t.lastBroadcastNanos = System.nanoTime();
    try {
      chain.sendRawTransaction(attempt.raw());
    } catch (ChainException e) {
      switch (e.kind()) {
        case NONCE_TOO_LOW, ALREADY_KNOWN -> { } // mined already, or by another: the next look tells which
        case FEE_TOO_LOW, REPLACEMENT_UNDERPRICED -> t.replaceBecause = "refused as " + e.kind();
        default -> notifyError(t.intent.id() + ": broadcast of " + attempt.hash().hex0x(), e);
      }
    }
  }

  private void sent(Tracked t, ChainBlock head) {
    List<SignedAttempt> live = t.intent.liveAttempts();
    if (live.isEmpty()) {
      t.intent = t.intent.withState(IntentState.PENDING, null, t.intent.reverts());
      journal.recordState(t.intent.id(), IntentState.PENDING, null, t.intent.reverts());
      return;
    }
    SignedAttempt current = live.get(live.size() - 1);
    if (!t.looked(head)) {
      // Receipts and nonce counts change with a new head: look once per head (or per second), not per poll.
      for (int i = live.size() - 1; i >= 0; i--) {
        Optional<ChainReceipt> receipt = chain.receipt(live.get(i).hash());
        if (receipt.isPresent()) {
          if (receipt.get().success()) {
            mined(t, receipt.get());
          } else {
            for (SignedAttempt attempt : live) {
              journal.retireAttempt(t.intent.id(), attempt.hash(), "reverted in " + receipt.get().transactionHash().hex0x());
            }
            t.intent = t.intent.withAttempts(retire(t.intent.attempts(), "reverted"));
            reverted(t, "transaction " + receipt.get().transactionHash().hex0x() + " reverted", receipt.get());
          }
          return;
        }
      }
      long mined = chain.transactionCount(sender, false);
      if (mined > current.nonce()) {
        // The nonce is used, and none of our attempts has a receipt: another transaction took it, or the
        // node serving receipts lags the one serving counts. This key has one writer, so it is almost
        // always the latter: believe "taken" only once the nonce is used as of the finalized block (which
        // every node has the receipts of) and still none of our attempts, retired ones included, shows.
        if (t.nonceTakenSinceBlock < 0) {
          t.nonceTakenSinceBlock = head.number();
        } else if (head.number() - t.nonceTakenSinceBlock >= nonceTakenBlocks && usedWhenFinal(current.nonce(), head)
            && noAttemptMined(t)) {
          for (SignedAttempt attempt : live) {
            journal.retireAttempt(t.intent.id(), attempt.hash(), "nonce " + attempt.nonce() + " went to another transaction");
          }
          t.intent = t.intent.withAttempts(retire(t.intent.attempts(), "nonce taken"));
          nextNonce = Math.max(nextNonce, chain.transactionCount(sender, true));
          gapCheckDue = true;
          if (t.intent.id().startsWith(FILLER)) {
            // A filler whose nonce got used anyway has done its job.
            journal.recordState(t.intent.id(), IntentState.CONFIRMED, null, 0);
            t.intent = t.intent.withState(IntentState.FAILED, null, 0);
            return;
          }
          t.intent = t.intent.withState(IntentState.PENDING, null, t.intent.reverts());
          journal.recordState(t.intent.id(), IntentState.PENDING, null, t.intent.reverts());
          log.warn("{}: nonce {} went to another transaction; it will be signed again", t.intent.id(), current.nonce());
        }
        t.look(head);
        return;
      }
      t.nonceTakenSinceBlock = -1;
      t.look(head);
    }
    if (t.nonceTakenSinceBlock >= 0) {
      return; // its nonce is used: nothing to rebroadcast or replace while that is being made sure of
    }
    long now = System.nanoTime();
    if (t.replaceBecause != null) {
      String why = t.replaceBecause;
      t.replaceBecause = null;
      replace(t, current, why);
    } else if (now - t.sentNanos >= replaceAfter.toNanos()) {
      replace(t, current, "pending for " + replaceAfter);
    } else if (now - t.lastBroadcastNanos >= rebroadcastInterval.toNanos()) {
      broadcast(t, current); // a node may have dropped it
    }
  }

  /** Whether {@code nonce} is used as of the finalized block (or {@code reorgDepth} below the head, where there is none). */
  private boolean usedWhenFinal(long nonce, ChainBlock head) {
    long finalized;
    try {
      finalized = chain.block(BlockTag.FINALIZED).map(ChainBlock::number).orElse(head.number() - reorgDepth);
    } catch (ChainException e) {
      if (e.retryable()) {
        throw e;
      }
      finalized = head.number() - reorgDepth; // a node without the tag
    }
    return finalized >= 0 && chain.transactionCount(sender, finalized) > nonce;
  }

  private boolean noAttemptMined(Tracked t) {
    for (SignedAttempt attempt : t.intent.attempts()) {
      if (chain.receipt(attempt.hash()).isPresent()) {
        return false;
      }
    }
    return true;
  }

  private static List<SignedAttempt> retire(List<SignedAttempt> attempts, String reason) {
    List<SignedAttempt> out = new ArrayList<>(attempts.size());
    for (SignedAttempt attempt : attempts) {
      out.add(attempt.live() ? attempt.retired(reason) : attempt);
    }
    return out;
  }

  /**
   * Replaces {@code pending} at its nonce with fees at least 12.5 % higher (nodes demand 10 %) and at
   * least what the chain asks now, within the cap; at the cap, waits for fees to fall.
   */
  private void replace(Tracked t, SignedAttempt pending, String why) {
    FeeQuote now = FeeQuote.current(chain, maxFeePerGas);
    BigInteger maxFee = bump(pending.maxFeePerGas()).max(now.maxFeePerGas()).min(maxFeePerGas);
    BigInteger tip = bump(pending.maxPriorityFeePerGas()).max(now.maxPriorityFeePerGas()).min(maxFee);
    if (maxFee.compareTo(pending.maxFeePerGas()) <= 0 || tip.compareTo(pending.maxPriorityFeePerGas()) <= 0) {
      t.sentNanos = System.nanoTime();
      notifyError(t.intent.id(), new ChainException(ChainException.Kind.FEE_TOO_LOW, "transaction " + pending.hash().hex0x()
          + " is " + why + " at the max-fee cap of " + maxFeePerGas + " wei/gas; waiting for fees to fall"));
      return;
    }
    log.info("{}: replacing {} at nonce {} with max fee {} wei/gas (was {}): {}", t.intent.id(), pending.hash().hex0x(),
        pending.nonce(), maxFee, pending.maxFeePerGas(), why);
    if (!running) {
      return;
    }
    SignedAttempt replacement = sign(t, pending.nonce(), pending.gasLimit(), maxFee, tip);
    t.sentNanos = System.nanoTime();
    broadcast(t, replacement);
  }

  private static BigInteger bump(BigInteger fee) {
    return fee.multiply(BigInteger.valueOf(9)).divide(BigInteger.valueOf(8)).add(BigInteger.ONE);
  }

  private void reverted(Tracked t, String why, @Nullable ChainReceipt receipt) {
    int reverts = t.intent.reverts() + 1;
    if (receipt != null) {
      for (TransactionListener listener : listeners) {
        TransactionIntent intent = t.intent;
        call(() -> listener.onReverted(intent, receipt));
      }
    }
    if (reverts >= maxReverts) {
      t.intent = t.intent.withState(t.intent.state(), null, reverts);
      fail(t, TransactionFailedException.Reason.REVERTED, why + " (" + reverts + " of " + maxReverts + " attempts reverted)");
      return;
    }
    journal.recordState(t.intent.id(), IntentState.PENDING, null, reverts);
    t.intent = t.intent.withState(IntentState.PENDING, null, reverts);
    t.retryAtNanos = System.nanoTime() + Math.min(rebroadcastInterval.toNanos(), Duration.ofSeconds(2).toNanos() * reverts);
    notifyError(t.intent.id(), new ChainException(ChainException.Kind.REVERTED, why + "; trying again (" + reverts + " of "
        + maxReverts + ")"));
  }

  private void fail(Tracked t, TransactionFailedException.Reason why, String detail) {
    journal.recordState(t.intent.id(), IntentState.FAILED, null, t.intent.reverts());
    t.intent = t.intent.withState(IntentState.FAILED, null, t.intent.reverts());
    followed.remove(t.intent.id());
    log.error("{}: given up: {}", t.intent.id(), detail);
    TransactionIntent intent = t.intent;
    TransactionFailedException failure = new TransactionFailedException(intent.id(), why, detail);
    for (TransactionListener listener : listeners) {
      call(() -> listener.onFailed(intent, failure));
    }
    callbacks.execute(() -> {
      t.handle.mined.completeExceptionally(failure);
      t.handle.confirmed.completeExceptionally(failure);
    });
  }

  private void mined(Tracked t, ChainReceipt receipt) {
    Optional<SignedAttempt> minedAttempt = t.intent.attempts().stream().filter(a -> a.hash().equals(receipt.transactionHash())).findFirst();
    if (minedAttempt.isPresent() && isCancellation(t.intent, minedAttempt.get())) {
      cancelled(t, "cancelled: " + receipt.transactionHash().hex0x() + " took nonce " + minedAttempt.get().nonce());
      return;
    }
    MinedTransaction where = MinedTransaction.of(receipt);
    journal.recordState(t.intent.id(), IntentState.MINED, where, t.intent.reverts());
    t.intent = t.intent.withState(IntentState.MINED, where, t.intent.reverts());
    t.minedReceipt = receipt;
    t.toldDepth = 0;
    TransactionIntent intent = t.intent;
    for (TransactionListener listener : listeners) {
      call(() -> listener.onMined(intent, receipt));
    }
    callbacks.execute(() -> t.handle.mined.complete(receipt));
  }

  /**
   * Warns (once per head) when transactions wait for confirmations and no block has come for
   * {@link #STALLED}: on a chain that mines only when a transaction arrives, they would wait forever.
   */
  private void warnIfBlocksStopped(ChainBlock head) {
    if (!head.hash().equals(stallHead)) {
      stallHead = head.hash();
      stallSinceNanos = System.nanoTime();
      stallWarned = false;
      return;
    }
    if (stallWarned || System.nanoTime() - stallSinceNanos < STALLED.toNanos()) {
      return;
    }
    long waiting = open.values().stream().filter(t -> t.intent.state() == IntentState.MINED).count();
    if (waiting > 0) {
      stallWarned = true;
      log.warn("{}: {} transaction(s) wait for {} confirmations, but no new block has come for {} s (head {}): a chain that"
          + " mines only when a transaction arrives (a local Anvil without a block time) needs blocks mined, or fewer"
          + " confirmations", sender, waiting, confirmations, STALLED.toSeconds(), head.number());
    }
  }

  private void minedOrConfirmed(Tracked t, ChainBlock head) {
    if (t.looked(head)) {
      return; // nothing about a mined transaction changes without a new head (or a node catching up)
    }
    t.look(head);
    MinedTransaction where = Objects.requireNonNull(t.intent.mined(), "mined");
    if (where.blockNumber() > head.number()) {
      return; // the node is behind its own receipt: wait
    }
    Optional<ChainReceipt> receipt = chain.receipt(where.hash());
    if (receipt.isPresent() && !receipt.get().blockHash().equals(where.blockHash())) {
      // Mined again in another block after a reorganization.
      MinedTransaction former = where;
      TransactionIntent intent = t.intent;
      for (TransactionListener listener : listeners) {
        call(() -> listener.onReorged(intent, former));
      }
      if (receipt.get().success()) {
        mined(t, receipt.get());
      } else {
        t.intent = t.intent.withState(IntentState.SENT, null, t.intent.reverts());
        journal.recordState(t.intent.id(), IntentState.SENT, null, t.intent.reverts());
      }
      return;
    }
    if (receipt.isEmpty()) {
      ChainBlock atHeight = where.blockNumber() == head.number() ? head : chain.block(where.blockNumber()).orElse(null);
      if (atHeight == null || atHeight.hash().equals(where.blockHash())) {
        return; // the block is still there: a lagging node, not a reorganization
      }
      log.warn("{}: {} was removed by a reorganization (block {} is now {}); broadcasting it again", t.intent.id(),
          where.hash().hex0x(), where.blockNumber(), atHeight.hash().hex0x());
      // Listeners first (they record what depended on it), then the intent: a crash in between finds the
      // intent still MINED or CONFIRMED after the restart, sees the reorganization again, and tells them again.
      TransactionIntent reorganized = t.intent.withState(IntentState.SENT, null, t.intent.reverts());
      for (TransactionListener listener : listeners) {
        call(() -> listener.onReorged(reorganized, where));
      }
      journal.recordState(t.intent.id(), IntentState.SENT, null, t.intent.reverts());
      t.intent = reorganized;
      t.minedReceipt = null;
      t.sentNanos = System.nanoTime();
      t.intent.liveAttempts().stream().filter(a -> a.hash().equals(where.hash())).findFirst()
          .or(() -> t.intent.current()).ifPresent(attempt -> broadcast(t, attempt));
      return;
    }
    t.minedReceipt = receipt.get();
    long depth = head.number() - where.blockNumber() + 1;
    if (t.intent.state() == IntentState.MINED && depth > t.toldDepth) {
      t.toldDepth = depth;
      TransactionIntent intent = t.intent;
      ChainReceipt deeper = receipt.get();
      int told = (int) Math.min(depth, confirmations);
      for (TransactionListener listener : listeners) {
        call(() -> listener.onConfirmations(intent, deeper, told));
      }
    }
    if (t.intent.state() == IntentState.MINED && depth >= confirmations) {
      journal.recordState(t.intent.id(), IntentState.CONFIRMED, where, t.intent.reverts());
      t.intent = t.intent.withState(IntentState.CONFIRMED, where, t.intent.reverts());
      TransactionIntent intent = t.intent;
      ChainReceipt confirmed = receipt.get();
      for (TransactionListener listener : listeners) {
        call(() -> listener.onConfirmed(intent, confirmed));
      }
      callbacks.execute(() -> {
        t.handle.mined.complete(confirmed);
        t.handle.confirmed.complete(confirmed);
      });
    }
  }

  /**
   * Fills nonces between the chain's mined count and the next nonce that no open intent's live attempt
   * holds: a later transaction would otherwise wait behind the gap for ever.
   */
  private void fillNonceGaps() {
    long mined = chain.transactionCount(sender, false);
    for (long nonce = mined; nonce < nextNonce; nonce++) {
      long n = nonce;
      // Held by any intent we follow, mined ones included: a reorganization may have removed their
      // transaction, which is then broadcast again at its own nonce.
      boolean held = open.values().stream().anyMatch(t -> t.intent.liveAttempts().stream().anyMatch(a -> a.nonce() == n));
      if (held) {
        continue;
      }
      String id = FILLER + sender.lowercase() + "/" + nonce;
      if (open.containsKey(id)) {
        continue;
      }
      log.warn("{}: nonce {} is held by no pending transaction; filling it with an empty transfer to self", sender, nonce);
      TransactionIntent filler = journal.recordIntent(TransactionIntent.create(id, sender, sender, new byte[0], BigInteger.ZERO,
          clock.instant(), lastHead));
      Tracked t = new Tracked(filler, handles.computeIfAbsent(id, key -> new TransactionHandle(key, IntentState.PENDING)));
      open.put(id, t);
      followed.add(id);
      FeeQuote fees = FeeQuote.current(chain, maxFeePerGas);
      if (!running) {
        return;
      }
      SignedAttempt attempt = sign(t, nonce, MIN_GAS, fees.maxFeePerGas(), fees.maxPriorityFeePerGas());
      t.sentNanos = System.nanoTime();
      broadcast(t, attempt);
    }
  }

  private void notifyError(String what, Throwable error) {
    log.warn("{}: {}", what, error.toString());
    for (TransactionListener listener : listeners) {
      call(() -> listener.onError(what, error));
    }
  }

  private static void call(Runnable listenerCall) {
    try {
      listenerCall.run();
    } catch (LeaseLostException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("a TransactionListener threw {}", e.toString());
    }
  }

  /** Stops the sender thread; intents stay in the journal for the next start. Idempotent. */
  @Override
  public void close() {
    running = false;
    synchronized (wake) {
      wake.notifyAll();
    }
    worker.interrupt();
    try {
      worker.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "TransactionSender[" + sender + ", chain " + signer.chainId() + "]";
  }

  /** Settings of a {@link TransactionSender}; chain, key and journal are required. */
  public static final class Builder {
    private @Nullable ChainClient chain;
    private @Nullable EvmSigner key;
    private @Nullable TransactionJournal journal;
    private AppliedCheck appliedCheck = AppliedCheck.NONE;
    private final List<TransactionListener> listeners = new ArrayList<>();
    private Executor callbacks = ForkJoinPool.commonPool();
    private int confirmations = DEFAULT_CONFIRMATIONS;
    private int reorgDepth = 64;
    private int maxReverts = 3;
    private int nonceTakenBlocks = 2;
    private BigInteger maxFeePerGas = FeeQuote.DEFAULT_MAX_FEE_CAP;
    private Duration pollInterval = Duration.ofMillis(100);
    private Duration rebroadcastInterval = Duration.ofSeconds(15);
    private Duration replaceAfter = Duration.ofSeconds(60);
    private Clock clock = Clock.systemUTC();
    private @Nullable String threadName;

    private Builder() {}

    public Builder chain(ChainClient chain) {
      this.chain = Objects.requireNonNull(chain, "chain == null");
      return this;
    }

    /** The sending account's secp256k1 key: it signs every transaction. */
    public Builder key(SigningKey key) {
      this.key = EvmSigner.of(Objects.requireNonNull(key, "key == null"));
      return this;
    }

    /**
     * The sending account's signer, wherever its key lives (an HSM, a KMS, a remote signer): it signs
     * every transaction. A signer that fails is tried again later; its failures reach
     * {@link TransactionListener#onError}.
     */
    public Builder signer(EvmSigner signer) {
      this.key = Objects.requireNonNull(signer, "signer == null");
      return this;
    }

    public Builder journal(TransactionJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal == null");
      return this;
    }

    /** How to recognize an intent's effect on chain before signing it at a new nonce; default none. */
    public Builder appliedCheck(AppliedCheck check) {
      this.appliedCheck = Objects.requireNonNull(check, "check == null");
      return this;
    }

    public Builder listener(TransactionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /** Where handles' futures complete; default {@link ForkJoinPool#commonPool()}, never the sender's own thread. */
    public Builder callbackExecutor(Executor executor) {
      this.callbacks = Objects.requireNonNull(executor, "executor == null");
      return this;
    }

    /** Blocks, the mining block included, before an intent is CONFIRMED; default {@value #DEFAULT_CONFIRMATIONS}. */
    public Builder confirmations(int confirmations) {
      this.confirmations = atLeast(confirmations, 1, "confirmations");
      return this;
    }

    /** How many blocks deep a confirmed intent is still watched for reorganizations; default 64. */
    public Builder reorgDepth(int blocks) {
      this.reorgDepth = atLeast(blocks, 1, "reorgDepth");
      return this;
    }

    /** Reverted attempts before an intent is FAILED; default 3. */
    public Builder maxReverts(int reverts) {
      this.maxReverts = atLeast(reverts, 1, "maxReverts");
      return this;
    }

    /** Blocks a used nonce without our receipt must persist before it counts as taken by another; default 2. */
    public Builder nonceTakenBlocks(int blocks) {
      this.nonceTakenBlocks = atLeast(blocks, 1, "nonceTakenBlocks");
      return this;
    }

    /** The most paid per gas, in wei; default 500 gwei. */
    public Builder maxFeePerGas(BigInteger weiPerGas) {
      Objects.requireNonNull(weiPerGas, "weiPerGas == null");
      if (weiPerGas.signum() <= 0) {
        throw new IllegalArgumentException("maxFeePerGas must be positive, got " + weiPerGas);
      }
      this.maxFeePerGas = weiPerGas;
      return this;
    }

    /** How often the chain is polled; default 100 ms. */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive(interval, "pollInterval");
      return this;
    }

    /** How often a pending attempt is broadcast again; default 15 s. */
    public Builder rebroadcastInterval(Duration interval) {
      this.rebroadcastInterval = positive(interval, "rebroadcastInterval");
      return this;
    }

    /** How long an attempt may stay pending before it is replaced with higher fees; default 60 s. */
    public Builder replaceAfter(Duration after) {
      this.replaceAfter = positive(after, "replaceAfter");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The sender thread's name; default {@code chainseal-tx-<address prefix>-<instance>}. */
    public Builder threadName(String name) {
      this.threadName = Objects.requireNonNull(name, "name == null");
      return this;
    }

    static int atLeast(int value, int min, String name) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
      }
      return value;
    }

    static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    /**
     * Builds the sender, recovers the open intents of its key from the journal, and starts its thread.
     *
     * @throws NullPointerException naming the first required setting that is missing
     * @throws ChainException if the chain cannot be reached for the head and the nonce
     */
    public TransactionSender build() {
      return new TransactionSender(this);
    }
  }
}
