package io.chainseal.anchor;

import io.chainseal.chain.ChainBlock;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.FeeQuote;

import io.chainseal.chain.internal.NonceManager;
import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.Checkpoint;
import io.chainseal.core.SignedCheckpoint;
import io.chainseal.core.Committer;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.Salt;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches messages and anchors each batch's Merkle root on chain, handing every message a proof.
 *
 * <pre>{@code
 * try (Anchorer anchorer = Anchorer.builder()
 *     .chain(chain).contract(AnchorContract.at(address)).publisherKey(operatorKey)
 *     .journal(SqliteAnchorJournal.open(Path.of("anchor.db")))
 *     .build()) {
 *   PendingProof pending = anchorer.submit(envelope, salt);   // durable when it returns
 *   MessageProof proof = pending.proof().get();               // once anchored and confirmed
 * }
 * }</pre>
 *
 * <p><b>Nothing lost, nothing doubled.</b> {@link #submit} returns only once the message is in the
 * journal; a crashed or killed process restarted on the same journal anchors every accepted message
 * exactly once: batches are journaled before their transaction is signed, and signed transactions
 * before they are broadcast, so a restart re-broadcasts the same transaction rather than a new one.
 * Submissions are idempotent by (conversation id, message id).
 *
 * <p><b>Bounded.</b> At most {@code maxBacklog} messages may await confirmation; past that,
 * {@link #submit} fails fast with {@link SubmitRejectedException.Reason#BACKLOG_FULL} instead of
 * growing without limit.
 *
 * <p>Thread-safe: share one instance. It owns three threads (journal writer, batch sender,
 * confirmation poller). It does not close the chain client or the journal given to it.
 */
public final class Anchorer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Anchorer.class);
  private static final Hash32 ZERO = Hash32.of(new byte[32]);
  private static final int WRITE_GROUP = 8192;

  private final ChainClient chain;
  private final AnchorContract contract;
  private final AnchorJournal journal;
  private final TransactionSigner signer;
  private final SigningKey publisherKey;
  private final BatchPolicy policy;
  private final int confirmations;
  private final int maxBacklog;
  private final BigInteger maxFeePerGas;
  private final Duration pollInterval;
  private final Duration rebroadcastInterval;
  private final Duration replaceAfter;
  private final int reorgDepth;
  private final Duration closeTimeout;
  private final List<AnchorListener> listeners;
  private final Clock clock;
  private final long chainId;
  private final NonceManager nonces;

  private final ConcurrentHashMap<MessageKey, PendingProof> tracked = new ConcurrentHashMap<>();
  private final AtomicInteger backlog = new AtomicInteger();
  private final LinkedBlockingQueue<Write> writes = new LinkedBlockingQueue<>();
  private final Object batchLock = new Object();
  /**
   * Messages journaled by this process since the last batch, and when the oldest of them was accepted
   * (guarded by batchLock): they tell the sender when a batch is due. The journal itself is the one
   * list of unbatched messages, so messages other anchorers accepted into a shared journal are
   * batched too, and no message can be queued twice.
   */
  private long appendedSinceBatch;
  private @Nullable Instant oldestAppended;
  /** Whether this instance batches, sends and confirms for the journal (see AnchorJournal#tryLead). */
  private volatile boolean leader;
  private long lastJournalPoll;
  /** Follower state: batches up to here are confirmed and their proofs handed out; batches already sealed. */
  private long followedThrough;
  private final java.util.Set<Long> followedSealed = new java.util.HashSet<>();
  /** Batches to (re-)anchor before any new one: recovered after a restart, or reorganized away. */
  private final java.util.concurrent.PriorityBlockingQueue<OpenBatch> recovered =
      new java.util.concurrent.PriorityBlockingQueue<>(16, java.util.Comparator.comparingLong(b -> b.record.sequence()));
  /** Confirmed batches still watched for reorganizations, until {@code reorgDepth} blocks deep. */
  private final ConcurrentSkipListMap<Long, OpenBatch> watched = new ConcurrentSkipListMap<>();
  private long lastCheckedHead = -1;
  private final ConcurrentSkipListMap<Long, OpenBatch> awaitingConfirmation = new ConcurrentSkipListMap<>();
  private final Map<Long, MerkleTree> treeCache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, MerkleTree> eldest) {
      return size() > 8;
    }
  };

  private final Thread writer;
  private final Thread sender;
  private final Thread confirmer;
  private volatile boolean closing;
  private volatile boolean stopped;
  private long lastSequence;
  private Hash32 previousRoot = ZERO;

  private record Write(JournalEntry entry, PendingProof pending) {}

  /** A batch in memory between creation and confirmation. */
  private static final class OpenBatch {
    BatchRecord record;
    final List<JournalEntry> members;
    final MerkleTree tree;
    final SignedCheckpoint checkpoint;

    OpenBatch(BatchRecord record, List<JournalEntry> members, MerkleTree tree, SignedCheckpoint checkpoint) {
      this.record = record;
      this.members = members;
      this.tree = tree;
      this.checkpoint = checkpoint;
    }
  }

  /**
   * The operator's signed checkpoint of a batch. Signatures are deterministic (RFC 6979), so signing a
   * journaled batch again after a restart gives the very same checkpoint.
   */
  private SignedCheckpoint checkpoint(BatchRecord record) {
    return new Checkpoint(chainId, contract.address(), signer.address(), record.sequence(), record.treeSize(), record.root(),
        record.createdAt()).sign(publisherKey);
  }

  /** Completes the sealed proofs of a batch's members that someone is waiting for. */
  private void seal(OpenBatch batch) {
    for (int i = 0; i < batch.members.size(); i++) {
      JournalEntry member = batch.members.get(i);
      PendingProof pending = tracked.get(member.key());
      if (pending != null && !pending.sealed.isDone()) {
        pending.sealed.complete(proof(batch.tree, i, member, null, batch.checkpoint));
      }
    }
  }

  private Anchorer(Builder b) {
    this.chain = Objects.requireNonNull(b.chain, "chain is not set");
    this.contract = Objects.requireNonNull(b.contract, "contract is not set");
    this.journal = Objects.requireNonNull(b.journal, "journal is not set");
    SigningKey key = Objects.requireNonNull(b.publisherKey, "publisherKey is not set");
    this.policy = b.policy;
    this.confirmations = b.confirmations;
    this.maxBacklog = b.maxBacklog;
    this.maxFeePerGas = b.maxFeePerGas;
    this.pollInterval = b.pollInterval;
    this.rebroadcastInterval = b.rebroadcastInterval;
    this.replaceAfter = b.replaceAfter;
    this.reorgDepth = b.reorgDepth;
    this.closeTimeout = b.closeTimeout;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.clock = b.clock;
    this.chainId = chain.chainId();
    this.signer = new TransactionSigner(key, chainId);
    this.publisherKey = key;
    this.nonces = new NonceManager();
    this.leader = journal.tryLead();
    if (leader) {
      recover();
    } else {
      log.info("another anchorer leads {}; this one accepts messages and follows", journal);
    }
    this.writer = new Thread(this::writeLoop, "chainseal-anchorer-journal");
    this.sender = new Thread(this::sendLoop, "chainseal-anchorer-sender");
    this.confirmer = new Thread(this::confirmLoop, "chainseal-anchorer-confirmer");
    for (Thread thread : List.of(writer, sender, confirmer)) {
      thread.setDaemon(true);
      thread.start();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------------------
  // Recovery

  private void recover() {
    journal.lastBatch().ifPresent(last -> {
      lastSequence = last.sequence();
      previousRoot = last.root();
    });
    long chainNonce = chain.transactionCount(signer.address(), true);
    nonces.reset(Math.max(chainNonce, journal.lastNonce().orElse(-1) + 1));
    for (BatchRecord record : journal.unconfirmedBatches()) {
      List<JournalEntry> members = journal.members(record.sequence());
      OpenBatch batch = new OpenBatch(record, members, tree(members), checkpoint(record));
      for (JournalEntry member : members) {
        track(member);
      }
      seal(batch);
      if (record.state() == BatchRecord.State.ANCHORED) {
        awaitingConfirmation.put(record.sequence(), batch);
      } else {
        recovered.add(batch);
      }
    }
    List<JournalEntry> waiting = journal.unbatched(Integer.MAX_VALUE);
    synchronized (batchLock) {
      for (JournalEntry entry : waiting) {
        track(entry);
      }
      appendedSinceBatch += waiting.size();
      if (!waiting.isEmpty() && oldestAppended == null) {
        oldestAppended = waiting.get(0).acceptedAt();
      }
    }
    if (!recovered.isEmpty() || !waiting.isEmpty() || !awaitingConfirmation.isEmpty()) {
      log.info("recovered {} unbatched messages and {} unconfirmed batches from {}", waiting.size(),
          recovered.size() + awaitingConfirmation.size(), journal);
    }
  }

  private void track(JournalEntry entry) {
    PendingProof pending = new PendingProof(entry.key(), entry.commitment());
    pending.durable.complete(null);
    // Keep a caller's own pending proof if this process accepted the message itself.
    if (tracked.putIfAbsent(entry.key(), pending) == null) {
      backlog.incrementAndGet();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Submitting

  /** Submits a message by its envelope and salt (the salt stays with the caller; only the commitment is kept). */
  public PendingProof submit(MessageEnvelope envelope, Salt salt) {
    return submit(MessageKey.of(envelope), new Committer().commit(envelope, salt), null);
  }

  /** Submits a message with its sender's signature over the commitment, which the proof will carry. */
  public PendingProof submit(MessageEnvelope envelope, Salt salt, @Nullable MessageSignature signature) {
    return submit(MessageKey.of(envelope), new Committer().commit(envelope, salt), signature);
  }

  /**
   * Submits a commitment under its key. Returns once the message is journaled; the proof follows.
   *
   * @throws SubmitRejectedException if the backlog is full, the anchorer is closed, the key was
   *     submitted with another commitment, or the journal failed
   */
  public PendingProof submit(MessageKey key, Hash32 commitment, @Nullable MessageSignature signature) {
    PendingProof pending = enqueue(key, commitment, signature);
    awaitDurable(pending);
    return pending;
  }

  /**
   * Like {@link #submit(MessageKey, Hash32, MessageSignature)} without blocking: the returned future
   * completes once the message is journaled (then, as with {@code submit}, nothing can lose it), or
   * fails with a {@link SubmitRejectedException}. One thread can keep thousands of submissions in
   * flight this way, and the journal writes them in large groups.
   *
   * @throws SubmitRejectedException at once if the backlog is full, the anchorer is closed, or the key
   *     is pending with another commitment
   */
  public CompletableFuture<PendingProof> submitAsync(MessageKey key, Hash32 commitment, @Nullable MessageSignature signature) {
    PendingProof pending = enqueue(key, commitment, signature);
    return pending.durable.handle((ok, error) -> {
      if (error == null) {
        return pending;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      throw cause instanceof SubmitRejectedException rejected ? new CompletionException(rejected)
          : new CompletionException(new SubmitRejectedException(SubmitRejectedException.Reason.JOURNAL_FAILURE,
              "journal failed to store " + key + ": " + cause, cause));
    });
  }

  private PendingProof enqueue(MessageKey key, Hash32 commitment, @Nullable MessageSignature signature) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(commitment, "commitment == null");
    if (closing) {
      throw new SubmitRejectedException(SubmitRejectedException.Reason.CLOSED, "anchorer is closed");
    }
    PendingProof existing = tracked.get(key);
    if (existing != null) {
      return sameOrConflict(existing, commitment);
    }
    if (backlog.incrementAndGet() > maxBacklog) {
      backlog.decrementAndGet();
      throw new SubmitRejectedException(SubmitRejectedException.Reason.BACKLOG_FULL,
          "backlog full: " + maxBacklog + " messages await anchoring; retry later");
    }
    PendingProof fresh = new PendingProof(key, commitment);
    PendingProof raced = tracked.putIfAbsent(key, fresh);
    if (raced != null) {
      backlog.decrementAndGet();
      return sameOrConflict(raced, commitment);
    }
    writes.add(new Write(new JournalEntry(key, commitment, signature, clock.instant()), fresh));
    return fresh;
  }

  private PendingProof sameOrConflict(PendingProof existing, Hash32 commitment) {
    if (!existing.commitment().equals(commitment)) {
      throw new SubmitRejectedException(SubmitRejectedException.Reason.CONFLICT,
          "message " + existing.key() + " was already submitted with another commitment");
    }
    return existing;
  }

  private void awaitDurable(PendingProof pending) {
    try {
      pending.durable.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubmitRejectedException(SubmitRejectedException.Reason.JOURNAL_FAILURE, "interrupted before "
          + pending.key() + " was journaled; submit it again to know", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SubmitRejectedException rejected) {
        throw new SubmitRejectedException(rejected.reason(), rejected.getMessage(), rejected);
      }
      throw new SubmitRejectedException(SubmitRejectedException.Reason.JOURNAL_FAILURE,
          "journal failed to store " + pending.key() + ": " + cause, cause);
    }
  }

  private void writeLoop() {
    List<Write> group = new ArrayList<>(WRITE_GROUP);
    while (!stopped) {
      try {
        Write first = writes.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        writes.drainTo(group, WRITE_GROUP - 1);
        writeGroup(group);
      } catch (InterruptedException e) {
        if (stopped) {
          break;
        }
      } finally {
        group.clear();
      }
    }
    // Anything still queued was never journaled: say so to its waiting caller.
    for (Write write : writes) {
      fail(write.pending(), new SubmitRejectedException(SubmitRejectedException.Reason.CLOSED, "anchorer closed"));
    }
  }

  private void writeGroup(List<Write> group) {
    List<JournalEntry> entries = new ArrayList<>(group.size());
    for (Write write : group) {
      entries.add(write.entry());
    }
    List<Optional<Hash32>> outcomes;
    try {
      outcomes = journal.append(entries);
    } catch (RuntimeException e) {
      notifyError("journal append", e);
      for (Write write : group) {
        fail(write.pending(), e);
      }
      return;
    }
    List<JournalEntry> added = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      Write write = group.get(i);
      Optional<Hash32> stored = outcomes.get(i);
      if (stored.isEmpty()) {
        added.add(write.entry());
        write.pending().durable.complete(null);
      } else if (!stored.get().equals(write.entry().commitment())) {
        fail(write.pending(), new SubmitRejectedException(SubmitRejectedException.Reason.CONFLICT,
            "message " + write.entry().key() + " was already journaled with another commitment"));
      } else {
        // Journaled before: by an earlier run, or by another anchorer sharing the journal.
        Optional<MessageProof> proof = proof(write.entry().key());
        write.pending().durable.complete(null);
        if (proof.isPresent()) {
          settle(write.pending(), proof.get());
        }
        // Otherwise it stays tracked: its batch's confirmation (ours, or the leader's, which a
        // follower reads from the journal) completes it.
      }
    }
    if (!added.isEmpty()) {
      synchronized (batchLock) {
        appendedSinceBatch += added.size();
        if (oldestAppended == null) {
          oldestAppended = added.get(0).acceptedAt();
        }
        batchLock.notifyAll();
      }
    }
  }

  private void fail(PendingProof pending, Throwable error) {
    tracked.remove(pending.key(), pending);
    backlog.decrementAndGet();
    pending.durable.completeExceptionally(error);
  }

  private void settle(PendingProof pending, @Nullable MessageProof proof) {
    // Release the backlog slot first, so whoever sees the proof also sees the room it freed.
    if (tracked.remove(pending.key(), pending)) {
      backlog.decrementAndGet();
    }
    if (proof != null) {
      pending.proof.complete(proof);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Batching and sending

  private void sendLoop() {
    while (!stopped) {
      try {
        if (!leader) {
          if (journal.tryLead()) {
            log.info("this anchorer now leads {}: taking over its open work", journal);
            follow(); // hand out what the old leader confirmed since the last look, before leading
            leader = true;
            recover();
          } else {
            follow();
            Thread.sleep(Math.max(50, pollInterval.toMillis() * 4));
            continue;
          }
        }
        OpenBatch batch = recovered.poll();
        if (batch == null) {
          batch = nextBatch();
        }
        if (batch != null) {
          try {
            anchor(batch);
          } catch (RuntimeException e) {
            // Never drop a batch: its nonce may be taken, and every later one would wait behind it.
            recovered.add(batch);
            throw e;
          }
        }
      } catch (InterruptedException e) {
        if (stopped) {
          return;
        }
      } catch (RuntimeException e) {
        notifyError("batch sender", e);
        pause(Duration.ofMillis(500));
      }
    }
  }

  private @Nullable OpenBatch nextBatch() throws InterruptedException {
    long pollEvery = Math.max(policy.maxDelay().toMillis(), 250);
    long seen;
    synchronized (batchLock) {
      while (true) {
        if (stopped || !recovered.isEmpty()) {
          return null;
        }
        long sinceJournalPoll = (System.nanoTime() - lastJournalPoll) / 1_000_000;
        long remaining = oldestAppended == null ? pollEvery
            : policy.maxDelay().toMillis() - Duration.between(oldestAppended, clock.instant()).toMillis();
        boolean due = closing && appendedSinceBatch > 0
            || appendedSinceBatch >= policy.maxSize()
            || oldestAppended != null && remaining <= 0
            || sinceJournalPoll >= pollEvery; // messages other anchorers accepted, or left from before
        if (due) {
          break;
        }
        batchLock.wait(Math.max(1, Math.min(remaining, pollEvery - sinceJournalPoll)));
      }
      seen = appendedSinceBatch;
    }
    lastJournalPoll = System.nanoTime();
    // Only the sender thread creates batches, so what the journal lists as unbatched now is exactly
    // what may go into this batch.
    List<JournalEntry> members = journal.unbatched(policy.maxSize());
    if (members.isEmpty()) {
      synchronized (batchLock) {
        appendedSinceBatch = Math.max(0, appendedSinceBatch - seen); // keep what was appended meanwhile
        if (appendedSinceBatch == 0) {
          oldestAppended = null;
        }
      }
      return null;
    }
    Instant oldest = members.get(0).acceptedAt();
    boolean full = members.size() >= policy.maxSize();
    boolean old = Duration.between(oldest, clock.instant()).compareTo(policy.maxDelay()) >= 0;
    if (!full && !old && !closing) {
      synchronized (batchLock) {
        if (oldestAppended == null || oldest.isBefore(oldestAppended)) {
          oldestAppended = oldest; // wake up when this one is due
        }
      }
      return null;
    }
    for (JournalEntry member : members) {
      track(member); // messages accepted by another anchorer become this leader's to finish
    }
    MerkleTree tree = tree(members);
    BatchRecord record = new BatchRecord(lastSequence + 1, tree.root(), members.size(), previousRoot,
        BatchRecord.State.CREATED, clock.instant(), null, null, null);
    List<MessageKey> keys = new ArrayList<>(members.size());
    for (JournalEntry member : members) {
      keys.add(member.key());
    }
    journal.createBatch(record, keys);
    synchronized (batchLock) {
      appendedSinceBatch = Math.max(0, appendedSinceBatch - members.size());
      oldestAppended = appendedSinceBatch > 0 ? clock.instant().minus(policy.maxDelay()) : null; // look again at once
    }
    lastSequence = record.sequence();
    previousRoot = record.root();
    OpenBatch batch = new OpenBatch(record, members, tree, checkpoint(record));
    seal(batch);
    for (AnchorListener listener : listeners) {
      call(() -> listener.onBatchCreated(record.sequence(), record.root(), members.size()));
    }
    return batch;
  }

  /**
   * A follower's part: hands out the sealed and anchored proofs of its own messages as the leader
   * batches and confirms them, reading the shared journal.
   */
  private void follow() {
    for (BatchRecord record : journal.batchesAfter(followedThrough)) {
      boolean confirmed = record.state() == BatchRecord.State.CONFIRMED && record.anchor() != null;
      if (!confirmed && followedSealed.contains(record.sequence())) {
        continue;
      }
      List<JournalEntry> members = journal.members(record.sequence());
      MerkleTree tree = tree(members);
      SignedCheckpoint checkpoint = checkpoint(record);
      for (int i = 0; i < members.size(); i++) {
        PendingProof pending = tracked.get(members.get(i).key());
        if (pending == null) {
          continue;
        }
        if (!pending.sealed.isDone()) {
          pending.sealed.complete(proof(tree, i, members.get(i), null, checkpoint));
        }
        if (confirmed) {
          settle(pending, proof(tree, i, members.get(i), record.anchor(), checkpoint));
        }
      }
      followedSealed.add(record.sequence());
      if (confirmed && record.sequence() == followedThrough + 1) {
        followedThrough = record.sequence();
        followedSealed.remove(record.sequence());
      }
    }
  }

  private static MerkleTree tree(List<JournalEntry> members) {
    byte[] packed = new byte[members.size() * Hash32.LENGTH];
    for (int i = 0; i < members.size(); i++) {
      members.get(i).commitment().copyTo(packed, i * Hash32.LENGTH);
    }
    return MerkleTree.ofPackedLeafHashes(packed);
  }

  /**
   * Sends the batch's transaction (or re-broadcasts the journaled one) until one of its transactions
   * is mined: re-broadcasting every {@code rebroadcastInterval}, replacing it with higher fees after
   * {@code replaceAfter}, and signing it anew if its nonce was taken by another transaction.
   */
  private void anchor(OpenBatch batch) throws InterruptedException {
    BatchRecord.SentTransaction sent = batch.record.sent().orElse(null);
    // Every transaction ever signed for this batch: any of them may be the one that gets mined.
    List<Hash32> candidates = new ArrayList<>();
    for (BatchRecord.SentTransaction earlier : journal.transactions(batch.record.sequence())) {
      candidates.add(earlier.hash());
    }
    long sentAt = System.nanoTime();
    while (!stopped) {
      try {
        ChainReceipt receipt = null;
        if (sent == null) {
          sent = signAndJournal(batch, null);
          candidates.add(sent.hash());
          sentAt = System.nanoTime();
        } else {
          receipt = minedReceipt(candidates, sent.hash());
        }
        if (receipt == null) {
          Broadcast outcome = broadcast(sent, candidates);
          if (outcome == Broadcast.NONCE_TAKEN) {
            // The nonce was taken by a transaction that is not this batch's: it can never be mined.
            nonces.reset(Math.max(nonces.peek(), chain.transactionCount(signer.address(), true)));
            sent = null;
            continue;
          }
          if (outcome == Broadcast.UNDERPRICED) {
            BatchRecord.SentTransaction replacement = replace(batch, sent);
            if (replacement == null) {
              pause(rebroadcastInterval); // at the cap: wait for fees to fall
            } else {
              sent = replacement;
              candidates.add(replacement.hash());
              sentAt = System.nanoTime();
            }
            continue;
          }
          BatchRecord.SentTransaction broadcast = sent;
          for (AnchorListener listener : listeners) {
            call(() -> listener.onBatchSent(batch.record.sequence(), broadcast.hash()));
          }
          Duration untilReplace = replaceAfter.minusNanos(System.nanoTime() - sentAt);
          Duration wait = untilReplace.compareTo(rebroadcastInterval) < 0 ? untilReplace : rebroadcastInterval;
          receipt = awaitReceipt(candidates, wait.isNegative() ? Duration.ZERO : wait);
          if (receipt == null && !recovered.isEmpty() && recovered.peek().record.sequence() < batch.record.sequence()) {
            // An earlier batch was reorganized away: its nonce comes before ours, so it goes first.
            recovered.add(batch);
            return;
          }
          if (receipt == null) {
            if (System.nanoTime() - sentAt >= replaceAfter.toNanos()) {
              BatchRecord.SentTransaction replacement = replace(batch, sent);
              if (replacement != null) {
                sent = replacement;
                candidates.add(replacement.hash());
              }
              sentAt = System.nanoTime();
            }
            continue;
          }
        }
        if (!receipt.success()) {
          notifyError("batch " + batch.record.sequence(), new ChainException(ChainException.Kind.REVERTED, "anchor transaction "
              + receipt.transactionHash().hex0x() + " reverted; is this publisher allowed on " + contract.address() + "?"));
          sent = null; // its nonce is spent: sign again with the next one
          pause(Duration.ofSeconds(2));
          continue;
        }
        recordAnchored(batch, receipt);
        return;
      } catch (ChainException e) {
        notifyError("batch " + batch.record.sequence(), e);
        pause(Duration.ofMillis(500));
      } catch (RuntimeException e) {
        // An answer that decoded to nonsense: treat it like any other fault and try again.
        notifyError("batch " + batch.record.sequence(), new ChainException(ChainException.Kind.MALFORMED_ANSWER, "unexpected answer: " + e, e));
        pause(Duration.ofMillis(500));
      }
    }
  }

  /** The receipt of whichever candidate was mined, looking at {@code first} first. */
  private @Nullable ChainReceipt minedReceipt(List<Hash32> candidates, Hash32 first) {
    Optional<ChainReceipt> receipt = chain.receipt(first);
    if (receipt.isPresent()) {
      return receipt.get();
    }
    for (Hash32 candidate : candidates) {
      if (!candidate.equals(first)) {
        receipt = chain.receipt(candidate);
        if (receipt.isPresent()) {
          return receipt.get();
        }
      }
    }
    return null;
  }

  /**
   * Replaces a pending transaction at the same nonce with fees at least 12.5 % higher (nodes demand
   * 10 %) and at least what the chain asks now, within the cap. Returns null if the cap leaves no room.
   */
  private BatchRecord.SentTransaction replace(OpenBatch batch, BatchRecord.SentTransaction pending) {
    TransactionSigner.Fees old = TransactionSigner.fees(pending.raw());
    FeeQuote now = FeeQuote.current(chain, maxFeePerGas);
    BigInteger maxFee = bump(old.maxFeePerGas()).max(now.maxFeePerGas()).min(maxFeePerGas);
    BigInteger tip = bump(old.maxPriorityFeePerGas()).max(now.maxPriorityFeePerGas()).min(maxFee);
    if (maxFee.compareTo(old.maxFeePerGas()) <= 0) {
      notifyError("batch " + batch.record.sequence(), new ChainException(ChainException.Kind.FEE_TOO_LOW, "anchor transaction "
          + pending.hash().hex0x() + " is pending at the max-fee cap of " + maxFeePerGas + " wei/gas; waiting for fees to fall"));
      return null;
    }
    log.info("batch {}: replacing pending {} at nonce {} with max fee {} wei/gas (was {})", batch.record.sequence(),
        pending.hash().hex0x(), pending.nonce(), maxFee, old.maxFeePerGas());
    return signAndJournal(batch, new TransactionSigner.Fees(pending.nonce(), maxFee, tip, old.gasLimit()));
  }

  private static BigInteger bump(BigInteger fee) {
    return fee.multiply(BigInteger.valueOf(9)).divide(BigInteger.valueOf(8)).add(BigInteger.ONE);
  }

  /** What became of a broadcast. */
  private enum Broadcast { SENT, NONCE_TAKEN, UNDERPRICED }

  /**
   * Broadcasts {@code sent}. A node may refuse it because its nonce is used (then one of the batch's
   * transactions may have been mined: looked for, for a few seconds), or because its fees are below
   * what the chain asks now.
   */
  private Broadcast broadcast(BatchRecord.SentTransaction sent, List<Hash32> candidates) throws InterruptedException {
    try {
      chain.sendRawTransaction(sent.raw());
      return Broadcast.SENT;
    } catch (ChainException e) {
      if (e.kind() == ChainException.Kind.NONCE_TOO_LOW) {
        return awaitReceipt(candidates, Duration.ofSeconds(3)) != null ? Broadcast.SENT : Broadcast.NONCE_TAKEN;
      }
      if (e.kind() == ChainException.Kind.FEE_TOO_LOW || e.kind() == ChainException.Kind.REPLACEMENT_UNDERPRICED) {
        return Broadcast.UNDERPRICED;
      }
      throw e;
    }
  }

  private BatchRecord.SentTransaction signAndJournal(OpenBatch batch, TransactionSigner.@Nullable Fees fixed) {
    BatchRecord record = batch.record;
    byte[] data = contract.encodeAnchor(record.root(), record.treeSize(), record.sequence(), record.previousRoot());
    TransactionSigner.Fees fees = fixed;
    if (fees == null) {
      BigInteger gas = chain.estimateGas(signer.address(), contract.address(), data)
          .multiply(BigInteger.valueOf(13)).divide(BigInteger.TEN).max(BigInteger.valueOf(40_000));
      FeeQuote quote = FeeQuote.current(chain, maxFeePerGas);
      fees = new TransactionSigner.Fees(nonces.next(), quote.maxFeePerGas(), quote.maxPriorityFeePerGas(), gas);
    }
    TransactionSigner.Signed signed = signer.sign(fees.nonce(), contract.address(), data, fees.gasLimit(),
        fees.maxFeePerGas(), fees.maxPriorityFeePerGas());
    BatchRecord.SentTransaction sent = new BatchRecord.SentTransaction(fees.nonce(), signed.hash(), signed.raw());
    journal.recordTransaction(record.sequence(), sent);
    batch.record = new BatchRecord(record.sequence(), record.root(), record.treeSize(), record.previousRoot(),
        BatchRecord.State.SENT, record.createdAt(), sent, null, null);
    return sent;
  }

  private @Nullable ChainReceipt awaitReceipt(List<Hash32> candidates, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      ChainReceipt receipt = minedReceipt(candidates, candidates.get(candidates.size() - 1));
      if (receipt != null) {
        return receipt;
      }
      Thread.sleep(pollInterval.toMillis());
    } while (!stopped && System.nanoTime() < deadline && recovered.isEmpty());
    return null;
  }

  private void recordAnchored(OpenBatch batch, ChainReceipt receipt) {
    BatchRecord record = batch.record;
    AnchoredEvent event = receipt.logs().stream()
        .flatMap(l -> contract.decode(l).stream())
        .filter(e -> e.root().equals(record.root()) && e.sequence() == record.sequence())
        .findFirst()
        .orElseThrow(() -> new ChainException(ChainException.Kind.MALFORMED_ANSWER, "receipt of "
            + receipt.transactionHash().hex0x() + " has no Anchored event for batch " + record.sequence()));
    AnchorReference anchor = new AnchorReference(chainId, contract.address(), receipt.transactionHash(),
        receipt.blockNumber(), event.logIndex(), receipt.blockHash());
    journal.recordAnchored(record.sequence(), anchor);
    batch.record = new BatchRecord(record.sequence(), record.root(), record.treeSize(), record.previousRoot(),
        BatchRecord.State.ANCHORED, record.createdAt(), record.transaction(), anchor, receipt.blockHash());
    awaitingConfirmation.put(record.sequence(), batch);
    for (AnchorListener listener : listeners) {
      call(() -> listener.onBatchAnchored(record.sequence(), anchor));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Confirming

  private void confirmLoop() {
    Hash32 lastHeadHash = null;
    while (!stopped) {
      try {
        if (!awaitingConfirmation.isEmpty() || !watched.isEmpty()) {
          long head = chain.blockNumber();
          Hash32 headHash = chain.block(head).map(ChainBlock::hash).orElse(null);
          if (head != lastCheckedHead || !Objects.equals(headHash, lastHeadHash)) {
            // The chain moved, or was reorganized at the same height: look at every open anchor again.
            detectReorgs();
            lastCheckedHead = head;
            lastHeadHash = headHash;
          }
          confirmReady(head);
          pruneWatched(head);
        }
        Thread.sleep(awaitingConfirmation.isEmpty() ? Math.max(pollInterval.toMillis(), 500) : pollInterval.toMillis());
      } catch (InterruptedException e) {
        if (stopped) {
          return;
        }
      } catch (RuntimeException e) {
        notifyError("confirmations", e);
        pause(Duration.ofMillis(500));
      }
    }
  }

  /** Finds anchors whose transaction vanished or moved to another block, and deals with them. */
  private void detectReorgs() {
    List<OpenBatch> open = new ArrayList<>(awaitingConfirmation.values());
    open.addAll(watched.values());
    for (OpenBatch batch : open) {
      AnchorReference anchor = Objects.requireNonNull(batch.record.anchor());
      Optional<ChainReceipt> receipt = chain.receipt(anchor.transactionHash());
      if (receipt.isPresent() && receipt.get().blockHash().equals(anchor.blockHash())) {
        continue;
      }
      long sequence = batch.record.sequence();
      awaitingConfirmation.remove(sequence);
      watched.remove(sequence);
      if (receipt.isPresent()) {
        log.warn("batch {}: anchor moved to block {} by a reorganization", sequence, receipt.get().blockNumber());
        recordAnchored(batch, receipt.get());
      } else {
        log.warn("batch {}: anchor {} was removed by a reorganization; anchoring it again", sequence,
            anchor.transactionHash().hex0x());
        journal.recordReorged(sequence);
        BatchRecord record = batch.record;
        batch.record = new BatchRecord(sequence, record.root(), record.treeSize(), record.previousRoot(),
            BatchRecord.State.SENT, record.createdAt(), record.transaction(), null, null);
        recovered.add(batch);
        synchronized (batchLock) {
          batchLock.notifyAll();
        }
      }
      for (AnchorListener listener : listeners) {
        call(() -> listener.onBatchReorged(sequence, anchor));
      }
    }
  }

  private void pruneWatched(long head) {
    for (OpenBatch batch : watched.values()) {
      AnchorReference anchor = batch.record.anchor();
      if (anchor == null || head - anchor.blockNumber() >= reorgDepth) {
        watched.remove(batch.record.sequence());
      }
    }
  }

  private void confirmReady(long head) {
    for (OpenBatch batch : awaitingConfirmation.values()) {
      AnchorReference anchor = Objects.requireNonNull(batch.record.anchor());
      if (head - anchor.blockNumber() + 1 < confirmations) {
        return; // later batches are in later blocks
      }
      journal.recordConfirmed(batch.record.sequence());
      awaitingConfirmation.remove(batch.record.sequence());
      BatchRecord record = batch.record;
      batch.record = new BatchRecord(record.sequence(), record.root(), record.treeSize(), record.previousRoot(),
          BatchRecord.State.CONFIRMED, record.createdAt(), record.transaction(), anchor, anchor.blockHash());
      if (reorgDepth > 0) {
        watched.put(record.sequence(), batch);
      }
      for (int i = 0; i < batch.members.size(); i++) {
        JournalEntry member = batch.members.get(i);
        MessageProof proof = proof(batch.tree, i, member, anchor, batch.checkpoint);
        PendingProof pending = tracked.get(member.key());
        if (pending != null) {
          settle(pending, proof);
        }
      }
      synchronized (treeCache) {
        treeCache.put(batch.record.sequence(), batch.tree);
      }
      for (AnchorListener listener : listeners) {
        call(() -> listener.onBatchConfirmed(batch.record.sequence(), batch.members.size()));
      }
    }
  }

  private static MessageProof proof(MerkleTree tree, int leaf, JournalEntry member, @Nullable AnchorReference anchor,
      SignedCheckpoint checkpoint) {
    return MessageProof.builder()
        .commitment(member.commitment())
        .inclusion(tree.inclusionProof(leaf))
        .root(tree.root())
        .signature(member.signature())
        .checkpoint(checkpoint)
        .anchor(anchor)
        .build();
  }

  /**
   * The proof of a message whose batch is anchored and confirmed, from memory or the journal; empty
   * if the message is unknown or not confirmed yet.
   */
  public Optional<MessageProof> proof(MessageKey key) {
    Objects.requireNonNull(key, "key == null");
    PendingProof pending = tracked.get(key);
    if (pending != null && pending.isAnchored()) {
      return Optional.of(pending.proof.join());
    }
    Optional<StoredMessage> stored = journal.message(key);
    if (stored.isEmpty() || stored.get().batch().isEmpty()) {
      return Optional.empty();
    }
    long sequence = stored.get().batchSequence();
    Optional<BatchRecord> batch = journal.batch(sequence);
    if (batch.isEmpty() || batch.get().state() != BatchRecord.State.CONFIRMED || batch.get().anchor() == null) {
      return Optional.empty();
    }
    MerkleTree tree;
    synchronized (treeCache) {
      tree = treeCache.get(sequence);
    }
    if (tree == null) {
      tree = tree(journal.members(sequence));
      synchronized (treeCache) {
        treeCache.put(sequence, tree);
      }
    }
    return Optional.of(proof(tree, (int) stored.get().leafIndex(), stored.get().entry(), batch.get().anchor(),
        checkpoint(batch.get())));
  }

  /**
   * The best proof available now: the anchored one once confirmed, else the sealed one (signed
   * checkpoint, no anchor) once the message's batch has closed; empty while it waits for its batch.
   */
  public Optional<MessageProof> latestProof(MessageKey key) {
    Optional<MessageProof> anchored = proof(key);
    if (anchored.isPresent()) {
      return anchored;
    }
    PendingProof pending = tracked.get(key);
    if (pending != null && pending.sealed.isDone()) {
      return Optional.of(pending.sealed.join());
    }
    Optional<StoredMessage> stored = journal.message(key);
    if (stored.isEmpty() || stored.get().batch().isEmpty()) {
      return Optional.empty();
    }
    BatchRecord batch = journal.batch(stored.get().batchSequence()).orElseThrow();
    MerkleTree tree = tree(journal.members(batch.sequence()));
    return Optional.of(proof(tree, (int) stored.get().leafIndex(), stored.get().entry(), null, checkpoint(batch)));
  }

  /**
   * Whether this instance currently leads its journal: batches, sends and confirms for every anchorer
   * sharing it (see {@link AnchorJournal#tryLead}). Always true for a journal of one process.
   */
  public boolean leads() {
    return leader;
  }

  /** Messages accepted and not yet confirmed. */
  public int backlog() {
    return backlog.get();
  }

  /** The operator address that publishes anchors. */
  public io.chainseal.core.EvmAddress publisher() {
    return signer.address();
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Stops accepting messages, closes the open batch at once, and waits (up to the close timeout) until
   * every accepted message is anchored and confirmed. Whatever is not finished by then stays in the
   * journal, and a new anchorer on the same journal finishes it; its pending futures fail.
   */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    closing = true;
    synchronized (batchLock) {
      batchLock.notifyAll();
    }
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    while (!tracked.isEmpty() && System.nanoTime() < deadline) {
      pause(Duration.ofMillis(20));
    }
    stopped = true;
    for (Thread thread : List.of(writer, sender, confirmer)) {
      thread.interrupt();
    }
    for (Thread thread : List.of(writer, sender, confirmer)) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!tracked.isEmpty()) {
      log.warn("closed with {} messages not yet confirmed; they stay in {} for the next start", tracked.size(), journal);
      CompletionException closed = new CompletionException(new SubmitRejectedException(
          SubmitRejectedException.Reason.CLOSED, "anchorer closed before this message was confirmed; it stays journaled"));
      for (PendingProof pending : tracked.values()) {
        pending.proof.completeExceptionally(closed);
      }
    }
  }

  private void notifyError(String what, Throwable error) {
    log.warn("{}: {}", what, error.toString());
    for (AnchorListener listener : listeners) {
      call(() -> listener.onError(what, error));
    }
  }

  private static void call(Runnable listenerCall) {
    try {
      listenerCall.run();
    } catch (RuntimeException e) {
      log.warn("an AnchorListener threw {}", e.toString());
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Anchorer[publisher " + signer.address() + ", contract " + contract.address() + ", chain " + chainId
        + ", backlog " + backlog.get() + "]";
  }

  /** Settings of an {@link Anchorer}; chain, contract, publisher key and journal are required. */
  public static final class Builder {
    private @Nullable ChainClient chain;
    private @Nullable AnchorContract contract;
    private @Nullable SigningKey publisherKey;
    private @Nullable AnchorJournal journal;
    private BatchPolicy policy = BatchPolicy.DEFAULT;
    private int confirmations = ProvenanceVerifier.DEFAULT_CONFIRMATIONS;
    private int maxBacklog = 1_000_000;
    private BigInteger maxFeePerGas = FeeQuote.DEFAULT_MAX_FEE_CAP;
    private Duration pollInterval = Duration.ofMillis(50);
    private Duration rebroadcastInterval = Duration.ofSeconds(15);
    private Duration replaceAfter = Duration.ofSeconds(60);
    private int reorgDepth = 64;
    private Duration closeTimeout = Duration.ofSeconds(60);
    private final List<AnchorListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder chain(ChainClient chain) {
      this.chain = Objects.requireNonNull(chain, "chain == null");
      return this;
    }

    public Builder contract(AnchorContract contract) {
      this.contract = Objects.requireNonNull(contract, "contract == null");
      return this;
    }

    /** The operator's secp256k1 key: it pays for and signs the anchoring transactions. */
    public Builder publisherKey(SigningKey publisherKey) {
      this.publisherKey = Objects.requireNonNull(publisherKey, "publisherKey == null");
      return this;
    }

    public Builder journal(AnchorJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal == null");
      return this;
    }

    public Builder batchPolicy(BatchPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** Blocks (including the anchoring block) before a proof is final; default {@link ProvenanceVerifier#DEFAULT_CONFIRMATIONS}, as verifiers require. */
    public Builder confirmations(int confirmations) {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be at least 1");
      }
      this.confirmations = confirmations;
      return this;
    }

    /** Most messages that may await confirmation before submit fails fast; default 1,000,000. */
    public Builder maxBacklog(int maxBacklog) {
      if (maxBacklog < 1) {
        throw new IllegalArgumentException("maxBacklog must be at least 1");
      }
      this.maxBacklog = maxBacklog;
      return this;
    }

    /** The most this anchorer pays per gas, in wei; default 500 gwei. */
    public Builder maxFeePerGas(BigInteger weiPerGas) {
      if (weiPerGas.signum() <= 0) {
        throw new IllegalArgumentException("maxFeePerGas must be positive");
      }
      this.maxFeePerGas = weiPerGas;
      return this;
    }

    /** How often receipts and confirmations are polled; default 50 ms. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval == null");
      return this;
    }

    /** How long to wait for a receipt before broadcasting the same transaction again; default 15 s. */
    public Builder rebroadcastInterval(Duration rebroadcastInterval) {
      this.rebroadcastInterval = Objects.requireNonNull(rebroadcastInterval, "rebroadcastInterval == null");
      return this;
    }

    /**
     * How long an anchoring transaction may stay pending before it is replaced at the same nonce with
     * higher fees (at least 12.5 % more, within the max-fee cap); default 60 s.
     */
    public Builder replaceAfter(Duration replaceAfter) {
      this.replaceAfter = Objects.requireNonNull(replaceAfter, "replaceAfter == null");
      return this;
    }

    /**
     * How many blocks deep a confirmed batch is still watched: if a reorganization removes its anchor
     * within that depth, the batch is anchored again and its proofs re-issued; default 64.
     */
    public Builder reorgDepth(int reorgDepth) {
      if (reorgDepth < 0) {
        throw new IllegalArgumentException("reorgDepth must not be negative");
      }
      this.reorgDepth = reorgDepth;
      return this;
    }

    /** How long {@link Anchorer#close()} waits for pending messages; default 60 s. */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout == null");
      return this;
    }

    public Builder listener(AnchorListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Builds the anchorer, recovers whatever its journal holds from an earlier run, and starts it.
     *
     * @throws NullPointerException naming the first required setting that is missing
     * @throws ChainException if the chain cannot be reached to read the chain id and nonce
     */
    public Anchorer build() {
      return new Anchorer(this);
    }
  }
}
