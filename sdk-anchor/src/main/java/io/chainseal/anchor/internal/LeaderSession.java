package io.chainseal.anchor.internal;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.AnchorJournal;
import io.chainseal.anchor.AnchorListener;
import io.chainseal.anchor.AnchoredEvent;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.anchor.BatchRecord;
import io.chainseal.anchor.JournalEntry;
import io.chainseal.anchor.MessageKey;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.IntentState;
import io.chainseal.chain.JournalException;
import io.chainseal.chain.LeaseLostException;
import io.chainseal.chain.MinedTransaction;
import io.chainseal.chain.SignedAttempt;
import io.chainseal.chain.TransactionFailedException;
import io.chainseal.chain.TransactionIntent;
import io.chainseal.chain.TransactionListener;
import io.chainseal.chain.TransactionRequest;
import io.chainseal.chain.TransactionSender;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an anchorer does while it leads its journal, from the moment it takes the lead until it loses
 * or gives it up: close batches (one cutter thread), anchor each through the shared transaction layer
 * ({@link TransactionSender}, one thread), and turn the layer's events into the batch transitions of
 * {@code docs/anchoring.md}:
 *
 * <pre>
 * CREATED ──intent submitted──▶ SENT ──mined──▶ ANCHORED ──k blocks──▶ CONFIRMED (proofs handed out)
 *                                 ▲                 │                      │
 *                                 └──reorganized away┴──────────────────────┘
 * </pre>
 *
 * Starting compares the journal with the chain ({@link ChainReconciler}) and refuses to lead from a
 * journal that is behind it. Any write refused with {@link LeaseLostException} ends the session: the
 * caller steps down. Not API.
 */
public final class LeaderSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderSession.class);
  private static final Hash32 ZERO = Hash32.of(new byte[32]);
  /** How often the cutter compares each unfinished batch with its transaction (missed events, failed writes). */
  private static final Duration SETTLE_INTERVAL = Duration.ofSeconds(1);

  /** The session could not start yet: transactions of this key the journal does not know are pending. */
  public static final class NotYet extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotYet(String reason) {
      super(reason);
    }
  }

  /** The session could not start: the journal contradicts the chain. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String reason) {
      super(reason);
    }
  }

  /** Everything a session needs from its anchorer. */
  public record Settings(AnchorJournal journal, ChainClient chain, AnchorContract contract, SigningKey key, BatchPolicy policy,
      int confirmations, int reorgDepth, int maxReverts, Duration pollInterval, Duration rebroadcastInterval,
      Duration replaceAfter, BigInteger maxFeePerGas, long logQueryBlockRange, Clock clock, Executor callbacks,
      List<AnchorListener> listeners, String threadPrefix) {}

  private final Settings settings;
  private final AnchorJournal journal;
  private final ProofSink sink;
  private final ProofAssembler assembler;
  private final Consumer<String> lost;
  private final BatchCutter cutter;
  private final ConcurrentSkipListMap<Long, SealedBatch> open = new ConcurrentSkipListMap<>();
  private final Object signal = new Object();
  private final long chainId;
  private @Nullable TransactionSender sender;
  private @Nullable Thread cutterThread;
  private volatile boolean running = true;
  private volatile boolean closing;
  /**
   * Batches whose anchoring was given up (FAILED): while there is one, later batches are created and
   * sealed but not sent — an anchor after a missing one would not verify, and would spend gas on the
   * same cause. Guarded by {@code batchLock}.
   */
  private final TreeSet<Long> failed = new TreeSet<>();
  /** Guards every batch transition: the transaction layer's events (its thread) and the cutter's settling pass. */
  private final Object batchLock = new Object();
  /** Why this session stopped for good: the chain contradicts the journal. */
  private volatile @Nullable String refusal;
  /** Cutter-thread state: when the next settling pass is due, and whether the last batch must be read back. */
  private long nextSettleNanos;
  private boolean resync;
  /** Set by the transaction layer's thread when a batch write failed: settle at the next turn. */
  private volatile boolean settleSoon;
  /** Cutter-thread state: the last batch created and its root. */
  private long lastSequence;
  private Hash32 previousRoot = ZERO;

  public LeaderSession(Settings settings, ProofSink sink, ProofAssembler assembler, Consumer<String> lost) {
    this.settings = settings;
    this.journal = settings.journal();
    this.sink = sink;
    this.assembler = assembler;
    this.lost = lost;
    this.cutter = new BatchCutter(settings.policy());
    this.chainId = settings.chain().chainId();
  }

  /**
   * Reconciles with the chain, recovers the journal's unfinished work, and starts the cutter and the
   * transaction sender.
   *
   * @throws Refused if the journal is behind the chain
   */
  public void start() {
    AnchorContract contract = settings.contract();
    long deployment = contract.deploymentBlock().orElse(0);
    long journalNext = journal.highestNonce(publisher()).orElse(-1) + 1;
    long pendingCount = settings.chain().transactionCount(publisher(), true);
    long minedCount = settings.chain().transactionCount(publisher(), false);
    if (pendingCount > Math.max(minedCount, journalNext)) {
      // Someone sent transactions with this key that the journal never saw (a journal restored from a
      // backup while the newer history's anchors wait in the mempool): compare with the chain only once
      // they are mined, or a second root could follow them under their batch numbers.
      throw new NotYet("transactions of " + publisher() + " with nonces " + Math.max(minedCount, journalNext) + ".."
          + (pendingCount - 1) + " are pending and the journal does not know them; leading once they are mined");
    }
    Optional<String> conflict = ChainReconciler.conflict(journal, settings.chain(), contract.address(), publisher(), deployment,
        settings.logQueryBlockRange());
    if (conflict.isPresent()) {
      throw new Refused(conflict.get());
    }
    journal.lastBatch().ifPresent(last -> {
      lastSequence = last.sequence();
      previousRoot = last.root();
    });
    List<BatchRecord> unfinished = journal.unconfirmedBatches();
    for (BatchRecord record : unfinished) {
      SealedBatch batch = assembler.sealed(journal, record);
      open.put(record.sequence(), batch);
      sink.batched(batch);
    }
    sender = TransactionSender.builder().chain(settings.chain()).key(settings.key()).journal(journal)
        .appliedCheck(new AnchoredBatchCheck(contract.address(), publisher(), deployment, settings.logQueryBlockRange()))
        .listener(new Tracker()).callbackExecutor(settings.callbacks()).confirmations(settings.confirmations())
        .reorgDepth(Math.max(1, settings.reorgDepth())).maxReverts(settings.maxReverts()).pollInterval(settings.pollInterval())
        .rebroadcastInterval(settings.rebroadcastInterval()).replaceAfter(settings.replaceAfter())
        .maxFeePerGas(settings.maxFeePerGas()).clock(settings.clock()).threadName(settings.threadPrefix() + "-tx").build();
    for (BatchRecord record : unfinished) {
      resume(record);
    }
    List<JournalEntry> waiting = journal.unbatched(Integer.MAX_VALUE);
    for (JournalEntry entry : waiting) {
      sink.track(entry);
    }
    if (!waiting.isEmpty()) {
      cutter.appended(waiting.size(), settings.clock().instant().minus(settings.policy().maxDelay()));
    }
    if (!unfinished.isEmpty() || !waiting.isEmpty()) {
      log.info("{}: leading; recovered {} unbatched messages and {} unconfirmed batches", settings.threadPrefix(),
          waiting.size(), unfinished.size());
    }
    nextSettleNanos = System.nanoTime(); // a first pass at once: whatever the last run left half-way
    cutterThread = new Thread(this::cutLoop, settings.threadPrefix() + "-batches");
    cutterThread.setDaemon(true);
    cutterThread.start();
  }

  private EvmAddress publisher() {
    return settings.key().id().address();
  }

  /** Picks up a batch the journal left unfinished, wherever its transaction got to. */
  private void resume(BatchRecord record) {
    long sequence = record.sequence();
    Optional<TransactionIntent> intent = journal.intent(BatchRecord.intentId(sequence));
    if (intent.isEmpty()) {
      submit(open.get(sequence));
      return;
    }
    if (record.state() == BatchRecord.State.CREATED) {
      journal.recordSent(sequence);
      open.computeIfPresent(sequence, (s, b) -> b.with(b.record().with(BatchRecord.State.SENT, null)));
    }
    TransactionIntent found = intent.get();
    if (found.state() == IntentState.FAILED) {
      // Given up before the restart; a restart (like retryFailed) gives it another round of maxReverts.
      log.warn("batch {}: its anchoring failed before this start; trying it again", sequence);
      Objects.requireNonNull(sender).retry(found.id());
      return;
    }
    // Mined or confirmed by the transaction layer just before a crash: the settling pass finishes the
    // batch from the receipt (and keeps trying while a node does not serve it).
  }

  /** Wakes the cutter: messages were journaled, or the anchorer is closing. */
  public void appended(long count, Instant oldestAcceptedAt) {
    synchronized (signal) {
      cutter.appended(count, oldestAcceptedAt);
      signal.notifyAll();
    }
  }

  /** Closes the open batch at once and every one after (the anchorer is closing). */
  public void closing() {
    closing = true;
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  public boolean isRunning() {
    return running;
  }

  /** Why this session stopped for good (the chain contradicts the journal), if it did. */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** Whether any of its threads still runs (after {@link #close()} they end within a journal or RPC timeout). */
  public boolean alive() {
    Thread thread = cutterThread;
    TransactionSender tx = sender;
    return (thread != null && thread.isAlive()) || (tx != null && !tx.isStopped());
  }

  // ---------------------------------------------------------------------------------------------
  // Closing batches

  private void cutLoop() {
    long backoff = 50;
    while (running) {
      try {
        if (settleSoon || System.nanoTime() - nextSettleNanos >= 0) {
          settleSoon = false;
          settle();
          nextSettleNanos = System.nanoTime() + SETTLE_INTERVAL.toNanos();
        }
        BatchCutter.Decision decision;
        synchronized (signal) {
          decision = cutter.decide(settings.clock().instant(), closing);
          if (!decision.lookNow()) {
            long untilSettle = Math.max(1, (nextSettleNanos - System.nanoTime()) / 1_000_000);
            signal.wait(Math.max(1, Math.min(decision.waitAtMost().toMillis(), untilSettle)));
            continue;
          }
        }
        look();
        backoff = 50;
      } catch (LeaseLostException e) {
        lost(e.getMessage());
        return;
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      } catch (JournalException | ChainException e) {
        nextSettleNanos = System.nanoTime(); // whatever failed half-way is looked at again
        notifyError("closing a batch", e);
        backoff = Math.min(backoff * 2, 2_000);
        pause(backoff);
      } catch (RuntimeException e) {
        log.error("{}: unexpected failure while closing a batch; carrying on", settings.threadPrefix(), e);
        notifyError("closing a batch", e);
        backoff = Math.min(backoff * 2, 2_000);
        pause(backoff);
      }
    }
  }

  /** Looks at the journal's unbatched messages and closes a batch of them if it is due. */
  private void look() {
    if (resync) {
      readBackLastBatch();
    }
    long seen;
    synchronized (signal) {
      seen = cutter.appendedCount();
    }
    // A glance at the oldest unbatched message first: reading a whole batch (up to maxSize rows, under
    // the journal's lock, which the writer needs) only pays when it will be cut.
    List<JournalEntry> oldestOne = journal.unbatched(1);
    Instant now = settings.clock().instant();
    if (oldestOne.isEmpty()) {
      synchronized (signal) {
        cutter.looked(now, seen, 0, null);
      }
      return;
    }
    Instant journalNow = journal.now();
    Instant oldestAccepted = oldestOne.get(0).acceptedAt();
    if (seen < settings.policy().maxSize() && !cutter.closeBatch(1, oldestAccepted, journalNow, closing)) {
      Instant oldestHere = now.minus(Duration.between(oldestAccepted, journalNow));
      synchronized (signal) {
        cutter.looked(now, 0, 1, oldestHere);
      }
      return;
    }
    List<JournalEntry> members = journal.unbatched(settings.policy().maxSize());
    if (members.isEmpty()) {
      return;
    }
    if (!cutter.closeBatch(members.size(), members.get(0).acceptedAt(), journalNow, closing)) {
      // Not yet due: wake up when its oldest message is, by this clock.
      Instant oldestHere = now.minus(Duration.between(members.get(0).acceptedAt(), journalNow));
      synchronized (signal) {
        cutter.looked(now, 0, members.size(), oldestHere);
      }
      return;
    }
    SealedBatch batch = create(members, journalNow);
    boolean full = members.size() >= settings.policy().maxSize();
    synchronized (signal) {
      // A full batch may have left more behind: look again at once.
      cutter.looked(now, Math.min(seen, members.size()), full ? 1 : 0, full ? now.minus(settings.policy().maxDelay()) : null);
    }
    submit(batch);
  }

  private SealedBatch create(List<JournalEntry> members, Instant createdAt) {
    MerkleTree tree = ProofAssembler.tree(members);
    BatchRecord record = new BatchRecord(lastSequence + 1, tree.root(), members.size(), previousRoot, BatchRecord.State.CREATED,
        createdAt, null);
    List<MessageKey> keys = new ArrayList<>(members.size());
    for (JournalEntry member : members) {
      keys.add(member.key());
    }
    try {
      journal.createBatch(record, keys);
    } catch (RuntimeException e) {
      resync = true; // it may have landed all the same: read the journal's last batch back before the next one
      throw e;
    }
    lastSequence = record.sequence();
    previousRoot = record.root();
    SealedBatch batch = new SealedBatch(record, members, tree, assembler.checkpoint(record));
    assembler.remember(record.sequence(), tree);
    open.put(record.sequence(), batch);
    sink.batched(batch); // messages accepted by another anchorer become this leader's to finish
    for (AnchorListener listener : settings.listeners()) {
      call(() -> listener.onBatchCreated(record.sequence(), record.root(), members.size()));
    }
    return batch;
  }

  /**
   * Hands a created batch's anchoring transaction to the transaction layer (CREATED → SENT), unless an
   * earlier batch's anchoring failed: then it waits, CREATED, for {@link #retryFailed()}.
   */
  private void submit(SealedBatch batch) {
    BatchRecord record = batch.record();
    synchronized (batchLock) {
      if (!failed.isEmpty() && failed.first() < record.sequence()) {
        log.warn("batch {}: held (journaled and sealed, not sent) until failed batch {} is anchored", record.sequence(),
            failed.first());
        return;
      }
      send(record);
    }
  }

  private void send(BatchRecord record) {
    byte[] data = settings.contract().encodeAnchor(record.root(), record.treeSize(), record.sequence(), record.previousRoot());
    Objects.requireNonNull(sender).submit(TransactionRequest.builder(BatchRecord.intentId(record.sequence()),
        settings.contract().address()).data(data).build());
    journal.recordSent(record.sequence());
    open.computeIfPresent(record.sequence(), (s, b) -> b.with(b.record().with(BatchRecord.State.SENT, null)));
  }

  /**
   * Gives every batch whose anchoring failed another round, then sends the batches held behind them,
   * in order. Returns how many failed batches were retried.
   */
  public int retryFailed() {
    TransactionSender tx = Objects.requireNonNull(sender, "not started");
    synchronized (batchLock) {
      int retried = 0;
      for (long sequence : List.copyOf(failed)) {
        String id = BatchRecord.intentId(sequence);
        Optional<TransactionIntent> intent = journal.intent(id);
        if (intent.isPresent() && (intent.get().state() == IntentState.FAILED || intent.get().state().isOpen())) {
          tx.retry(id); // idempotent: after a lost answer, calling again picks it up
          retried++;
        }
        failed.remove(sequence);
      }
      for (SealedBatch held : open.values()) {
        if (held.record().state() == BatchRecord.State.CREATED && journal.intent(BatchRecord.intentId(held.record().sequence())).isEmpty()) {
          send(held.record());
        }
      }
      return retried;
    }
  }

  /**
   * After a failed {@code createBatch}: adopts the journal's last batch if the write landed after all,
   * so the next batch gets the next number and this one is sent by the settling pass.
   */
  private void readBackLastBatch() {
    Optional<BatchRecord> last = journal.lastBatch();
    resync = false;
    if (last.isEmpty() || last.get().sequence() <= lastSequence) {
      return;
    }
    BatchRecord record = last.get();
    SealedBatch batch = assembler.sealed(journal, record);
    sink.batched(batch);
    open.put(record.sequence(), batch);
    lastSequence = record.sequence();
    previousRoot = record.root();
    log.info("{}: batch {} was created although the journal reported a failure; carrying on from it",
        settings.threadPrefix(), record.sequence());
    nextSettleNanos = System.nanoTime();
  }

  /**
   * Compares every unfinished batch with its transaction, as the journal has them, and makes up for
   * anything missed — a batch never handed to the transaction layer (its intent's write failed), an
   * event whose batch write failed, a confirmation or reorganization seen before a restart. Every step
   * is idempotent; a batch in order needs nothing.
   */
  private void settle() {
    TransactionSender tx = Objects.requireNonNull(sender);
    for (SealedBatch current : List.copyOf(open.values())) {
      if (!running) {
        return;
      }
      long sequence = current.record().sequence();
      String id = BatchRecord.intentId(sequence);
      synchronized (batchLock) {
        SealedBatch batch = open.get(sequence);
        if (batch == null) {
          continue; // confirmed meanwhile
        }
        Optional<TransactionIntent> intent = journal.intent(id);
        if (intent.isEmpty() || (!tx.follows(id) && intent.get().state().isOpen())) {
          if (failed.isEmpty() || failed.first() >= sequence) {
            send(batch.record()); // idempotent: the same intent again, queued if the sender lost it
          }
          continue;
        }
        TransactionIntent found = intent.get();
        switch (found.state()) {
          case MINED, CONFIRMED -> {
            MinedTransaction where = Objects.requireNonNull(found.mined(), "mined");
            Optional<ChainReceipt> receipt = settings.chain().receipt(where.hash())
                .filter(r -> r.blockHash().equals(where.blockHash()));
            if (receipt.isPresent()) {
              if (!sameAnchor(batch.record().anchor(), receipt.get())) {
                mined(sequence, receipt.get());
              }
              if (found.state() == IntentState.CONFIRMED) {
                confirmed(sequence, receipt.get());
              }
            }
          }
          case PENDING, SENT -> {
            if (batch.record().state() == BatchRecord.State.ANCHORED) {
              reorged(sequence);
            }
          }
          case FAILED, CANCELLED -> failed.add(sequence);
        }
      }
    }
  }

  private static boolean sameAnchor(@Nullable AnchorReference anchor, ChainReceipt receipt) {
    return anchor != null && anchor.transactionHash().equals(receipt.transactionHash())
        && receipt.blockHash().equals(anchor.blockHash());
  }

  // ---------------------------------------------------------------------------------------------
  // Following the transaction layer

  private SealedBatch batch(long sequence) {
    SealedBatch batch = open.get(sequence);
    if (batch != null) {
      return batch;
    }
    BatchRecord record = journal.batch(sequence).orElseThrow(() -> new IllegalStateException("no batch " + sequence));
    return assembler.sealed(journal, record);
  }

  private void mined(long sequence, ChainReceipt receipt) {
    synchronized (batchLock) {
      if (alreadyRecorded(sequence, receipt, BatchRecord.State.ANCHORED)) {
        return;
      }
      SealedBatch batch = batch(sequence);
      BatchRecord record = batch.record();
      if (sameAnchor(record.anchor(), receipt)) {
        return; // told twice (the event and the settling pass)
      }
      Optional<AnchoredEvent> event = receipt.logs().stream().flatMap(l -> settings.contract().decode(l).stream())
          .filter(e -> e.root().equals(record.root()) && e.sequence() == sequence).findFirst();
      if (event.isEmpty()) {
        notifyError("batch " + sequence, new ChainException(ChainException.Kind.MALFORMED_ANSWER, "receipt of "
            + receipt.transactionHash().hex0x() + " has no Anchored event for batch " + sequence));
        return;
      }
      AnchorReference anchor = new AnchorReference(chainId, settings.contract().address(), receipt.transactionHash(),
          receipt.blockNumber(), event.get().logIndex(), receipt.blockHash());
      journal.recordAnchored(sequence, anchor);
      open.put(sequence, batch.with(record.with(BatchRecord.State.ANCHORED, anchor)));
      log.info("batch {} ({} messages) anchored in block {} by {}; awaiting {} confirmations", sequence, record.treeSize(),
          receipt.blockNumber(), receipt.transactionHash().hex0x(), settings.confirmations());
      for (AnchorListener listener : settings.listeners()) {
        call(() -> listener.onBatchAnchored(sequence, anchor));
      }
    }
  }

  private void confirmed(long sequence, ChainReceipt receipt) {
    synchronized (batchLock) {
      if (alreadyRecorded(sequence, receipt, BatchRecord.State.CONFIRMED)) {
        return;
      }
      SealedBatch batch = batch(sequence);
      if (batch.record().state() == BatchRecord.State.CONFIRMED && sameAnchor(batch.record().anchor(), receipt)) {
        open.remove(sequence);
        return; // told twice
      }
      if (!sameAnchor(batch.record().anchor(), receipt)) {
        mined(sequence, receipt);
        batch = batch(sequence);
        if (!sameAnchor(batch.record().anchor(), receipt)) {
          return;
        }
      }
      AnchorReference anchor = Objects.requireNonNull(batch.record().anchor());
      journal.recordConfirmed(sequence);
      sink.anchored(batch, anchor);
      assembler.remember(sequence, batch.tree());
      open.remove(sequence);
      int size = batch.members().size();
      log.info("batch {} ({} messages) confirmed in block {}; proofs delivered", sequence, size, anchor.blockNumber());
      for (AnchorListener listener : settings.listeners()) {
        call(() -> listener.onBatchConfirmed(sequence, size));
      }
    }
  }

  /**
   * Whether a batch this session no longer holds is recorded in the journal as {@code state} (or
   * further) with the anchor of {@code receipt}: an event told twice, answered without reading the
   * batch's members back.
   */
  private boolean alreadyRecorded(long sequence, ChainReceipt receipt, BatchRecord.State state) {
    if (open.containsKey(sequence)) {
      return false;
    }
    Optional<BatchRecord> record = journal.batch(sequence);
    return record.isPresent() && record.get().state().compareTo(state) >= 0 && sameAnchor(record.get().anchor(), receipt);
  }

  /** Batch {@code sequence}'s recorded anchor left the chain: back to SENT, listeners told (once). */
  private void reorged(long sequence) {
    synchronized (batchLock) {
      SealedBatch batch = batch(sequence);
      AnchorReference recorded = batch.record().anchor();
      if (recorded == null) {
        return; // told twice
      }
      journal.recordReorged(sequence);
      open.put(sequence, batch.with(batch.record().with(BatchRecord.State.SENT, null)));
      log.warn("batch {}: anchor {} was removed by a reorganization; anchoring it again", sequence,
          recorded.transactionHash().hex0x());
      for (AnchorListener listener : settings.listeners()) {
        call(() -> listener.onBatchReorged(sequence, recorded));
      }
    }
  }

  /** The transaction layer's events, turned into batch transitions. Runs on the sender's thread. */
  private final class Tracker implements TransactionListener {
    @Override
    public void onAttempt(TransactionIntent intent, SignedAttempt attempt) {
      long sequence = BatchRecord.sequenceOf(intent.id());
      if (sequence > 0) {
        for (AnchorListener listener : settings.listeners()) {
          call(() -> listener.onBatchSent(sequence, attempt.hash()));
        }
      }
    }

    @Override
    public void onMined(TransactionIntent intent, ChainReceipt receipt) {
      long sequence = BatchRecord.sequenceOf(intent.id());
      if (sequence > 0) {
        guarded(sequence, () -> mined(sequence, receipt));
      }
    }

    @Override
    public void onConfirmed(TransactionIntent intent, ChainReceipt receipt) {
      long sequence = BatchRecord.sequenceOf(intent.id());
      if (sequence > 0) {
        guarded(sequence, () -> confirmed(sequence, receipt));
      }
    }

    @Override
    public void onReorged(TransactionIntent intent, MinedTransaction former) {
      long sequence = BatchRecord.sequenceOf(intent.id());
      if (sequence > 0) {
        guarded(sequence, () -> reorged(sequence));
      }
    }

    /** A batch write that fails here is reported, and made up for by the cutter's next settling pass. */
    private void guarded(long sequence, Runnable transition) {
      try {
        transition.run();
      } catch (LeaseLostException e) {
        throw e;
      } catch (JournalException | ChainException e) {
        settleSoon = true;
        notifyError("batch " + sequence, e);
      }
    }

    @Override
    public void onFailed(TransactionIntent intent, TransactionFailedException failure) {
      long sequence = BatchRecord.sequenceOf(intent.id());
      if (failure.reason() == TransactionFailedException.Reason.CONFLICT) {
        // The chain holds another root under this number: this journal is not the chain's history.
        // Nothing more may be signed from it; the anchorer refuses to lead until an operator acts.
        refusal = failure.getMessage();
        running = false;
        Objects.requireNonNull(sender).halt();
        notifyError("batch " + sequence, new IllegalStateException("refusing to anchor from this journal: "
            + failure.getMessage()));
        return;
      }
      if (sequence > 0) {
        synchronized (batchLock) {
          failed.add(sequence);
        }
      }
      notifyError("batch " + sequence, new IllegalStateException("anchoring given up: " + failure.getMessage()
          + "; the batch stays journaled and later batches are held: remove the cause, then call"
          + " Anchorer.retryFailedBatches() or restart"));
    }

    @Override
    public void onError(String what, Throwable error) {
      if (error instanceof LeaseLostException) {
        lost(error.getMessage());
      }
      for (AnchorListener listener : settings.listeners()) {
        call(() -> listener.onError(what, error));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void lost(String why) {
    if (running) {
      running = false;
      notifyError("leadership", new LeaseLostException("lost the lead: " + why));
      lost.accept(why);
    }
  }

  private void notifyError(String what, Throwable error) {
    log.warn("{}: {}", what, error.toString());
    for (AnchorListener listener : settings.listeners()) {
      call(() -> listener.onError(what, error));
    }
  }

  private static void call(Runnable listenerCall) {
    try {
      listenerCall.run();
    } catch (LeaseLostException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("an AnchorListener threw {}", e.toString());
    }
  }

  // A timed pause that a signal may end early; the caller's loop rechecks everything.
  @SuppressWarnings("WaitNotInLoop")
  private void pause(long millis) {
    synchronized (signal) {
      try {
        signal.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops the cutter and the transaction sender; whatever is unfinished stays in the journal. Idempotent. */
  @Override
  public void close() {
    running = false;
    synchronized (signal) {
      signal.notifyAll();
    }
    Thread thread = cutterThread;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    TransactionSender tx = sender;
    if (tx != null) {
      tx.close();
    }
  }
}
