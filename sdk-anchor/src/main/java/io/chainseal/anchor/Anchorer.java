package io.chainseal.anchor;

import io.chainseal.core.AnchorReference;
import io.chainseal.chain.ChainBlock;
import io.chainseal.chain.BlockTag;
import io.chainseal.anchor.internal.Leadership;
import io.chainseal.anchor.internal.LeaderSession;
import io.chainseal.anchor.internal.ProofAssembler;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.FeeQuote;
import io.chainseal.chain.JournalException;
import io.chainseal.chain.TransactionSender;
import io.chainseal.core.Committer;
import io.chainseal.core.ErasureReceipt;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.Salt;
import io.chainseal.core.SignatureScheme;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches messages and anchors each batch's Merkle root on chain, handing every message a proof.
 *
 * <pre>{@code
 * try (Anchorer anchorer = Anchorer.builder()
 *     .chain(chain).contract(AnchorContract.at(address, deploymentBlock)).publisherKey(operatorKey)
 *     .journal(SqliteAnchorJournal.open(Path.of("anchor.db")))
 *     .build()) {
 *   PendingProof pending = anchorer.submit(envelope, salt);   // durable when it returns
 *   MessageProof proof = pending.proof().get();               // once anchored and confirmed
 * }
 * }</pre>
 *
 * <p><b>Nothing lost, nothing doubled.</b> {@link #submit} returns only once the message is in the
 * journal. Each batch is anchored through the shared transaction layer ({@link TransactionSender}):
 * its transaction is journaled before it is broadcast, and before any new nonce is signed for it the
 * chain is searched for the publisher's anchor of that batch number — so a restart, a revert, a nonce
 * taken elsewhere or a reorganization never anchors a batch twice, and never anchors a second root
 * under its number. Submissions are idempotent by (conversation id, message id).
 *
 * <p><b>Several instances, one journal.</b> Every instance accepts messages; the one that leads the
 * journal ({@link AnchorJournal#tryLead()}) batches, signs and confirms. Its lead is checked every
 * {@code leaseCheckInterval}, and every write it makes is fenced by the journal's leader epoch: an
 * instance that lost the lead without noticing can sign nothing. Before leading, an instance compares
 * the journal with the chain and refuses to lead from a journal that is behind it ({@link #refusal()}).
 *
 * <p><b>How it is built</b> (docs/anchoring.md has the transition table): this facade wires a
 * {@code MessageIntake} (backlog bound, journal writer with group commit), a {@code Leadership} (the
 * {@code -lead} thread: a {@code LeaderSession} — batch cutter, transaction layer, the batch state
 * machine — while leading, a {@code FollowerFeed} while following), and a {@code ProofAssembler}.
 *
 * <p>Thread-safe: share one instance. Proof futures complete on the callback executor (by default the
 * common fork-join pool), never on the anchorer's own threads. It does not close the chain client or
 * the journal given to it.
 */
public final class Anchorer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Anchorer.class);

  private final AnchorJournal journal;
  private final ChainClient chain;
  private final int confirmations;
  private final EvmAddress publisher;
  private final long chainId;
  private final AnchorContract contract;
  private final List<AnchorListener> listeners;
  private final Duration closeTimeout;
  private final Duration submitTimeout;
  private final String threadPrefix;
  private final ProofAssembler assembler;
  private final MessageIntake intake;
  private final Leadership leadership;
  private volatile boolean stopped;

  private Anchorer(Builder b) {
    this.chain = Objects.requireNonNull(b.chain, "chain is not set");
    this.contract = Objects.requireNonNull(b.contract, "contract is not set");
    this.journal = Objects.requireNonNull(b.journal, "journal is not set");
    SigningKey key = Objects.requireNonNull(b.publisherKey, "publisherKey is not set");
    if (key.scheme() != SignatureScheme.SECP256K1_EIP191) {
      throw new IllegalArgumentException("the publisher key must be a secp256k1 key, got " + key.scheme().id());
    }
    this.publisher = key.id().address();
    this.confirmations = b.confirmations;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.closeTimeout = b.closeTimeout;
    this.submitTimeout = b.submitTimeout;
    this.chainId = chain.chainId();
    this.threadPrefix = "chainseal-anchorer-" + publisher.lowercase().substring(2, 10) + "-"
        + Integer.toHexString(System.identityHashCode(this));
    journal.bind(new JournalIdentity(publisher, chainId, contract.address()));
    this.assembler = new ProofAssembler(chainId, contract.address(), key);
    this.intake = new MessageIntake(journal, b.maxBacklog, b.callbacks, b.clock, threadPrefix + "-journal",
        this::appended, k -> assembler.anchoredProof(journal, k), this::notifyError, this::progress);
    LeaderSession.Settings sessionSettings = new LeaderSession.Settings(journal, chain, contract, key, b.policy,
        b.confirmations, b.reorgDepth, b.maxReverts, b.pollInterval, b.rebroadcastInterval, b.replaceAfter, b.maxFeePerGas,
        b.logQueryBlockRange, b.clock, b.callbacks, listeners, threadPrefix);
    Duration followerPoll = b.pollInterval.multipliedBy(4).compareTo(Duration.ofMillis(50)) > 0
        ? b.pollInterval.multipliedBy(4) : Duration.ofMillis(50);
    this.leadership = new Leadership(sessionSettings, intake, assembler, b.leaseCheckInterval, followerPoll, this::notifyError);
    leadership.start();
  }

  /**
   * Where {@code key} is on its way to a proof, in words, from the journal and the chain's head: for a
   * proof that is late ({@link PendingProof#await}).
   */
  String progress(MessageKey key) {
    Optional<StoredMessage> stored = journal.message(key);
    if (stored.isEmpty()) {
      return "not in the journal (yet)";
    }
    if (stored.get().batch().isEmpty()) {
      return "journaled, waiting for its batch to close (" + backlog() + " messages await anchoring here"
          + (leads() ? "" : "; this instance does not lead: the leading instance batches") + ")";
    }
    long sequence = stored.get().batchSequence();
    Optional<BatchRecord> batch = journal.batch(sequence);
    if (batch.isEmpty()) {
      return "in batch " + sequence + ", which the journal does not hold";
    }
    String inBatch = "leaf " + stored.get().leafIndex() + " of batch " + sequence + " (" + batch.get().treeSize() + " messages)";
    AnchorReference anchor = batch.get().anchor();
    return switch (batch.get().state()) {
      case CREATED -> inBatch + ", sealed, its anchor not sent yet" + head(0);
      case SENT -> inBatch + ", its anchoring transaction sent, not mined yet" + head(0);
      case ANCHORED -> inBatch + ", anchored in block " + (anchor == null ? "?" : anchor.blockNumber() + " by "
          + anchor.transactionHash().hex0x()) + head(anchor == null ? 0 : anchor.blockNumber());
      default -> inBatch + ", confirmed; the proof is being delivered";
    };
  }

  /** The head, the confirmations of {@code anchoredIn} (if positive), and whether blocks have stopped coming. */
  private String head(long anchoredIn) {
    try {
      ChainBlock head = chain.block(BlockTag.LATEST).orElse(null);
      if (head == null) {
        return "; the chain reports no head";
      }
      String depth = anchoredIn > 0 ? "; " + Math.max(0, head.number() - anchoredIn + 1) + " of " + confirmations
          + " confirmations (head block " + head.number() + ")" : "; head block " + head.number();
      Duration age = Duration.between(head.timestamp(), Instant.now());
      return depth + (age.compareTo(Duration.ofSeconds(30)) > 0 ? "; no new block for " + age.toSeconds()
          + " s: a chain that mines only when a transaction arrives (a local Anvil without a block time) needs blocks"
          + " mined, or fewer confirmations" : "");
    } catch (ChainException e) {
      return "; the chain's head could not be read (" + e.kind() + ")";
    }
  }

  /** The journal writer's news of new messages; it may come before the leadership exists. */
  private void appended(int count, Instant oldest) {
    Leadership current = leadership;
    if (current != null) {
      current.appended(count, oldest);
    }
  }

  public static Builder builder() {
    return new Builder();
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
   * Submits a commitment under its key. Returns once the message is journaled (at most
   * {@code submitTimeout}); the proof follows.
   *
   * @throws SubmitRejectedException if the backlog is full, the anchorer is closed, the key was
   *     submitted with another commitment, or the journal failed or did not answer in time (then it is
   *     unknown whether the message was journaled: submit it again, submissions are idempotent)
   */
  public PendingProof submit(MessageKey key, Hash32 commitment, @Nullable MessageSignature signature) {
    PendingProof pending = intake.enqueue(key, commitment, signature);
    intake.awaitDurable(pending, submitTimeout);
    return pending;
  }

  /**
   * Like {@link #submit(MessageKey, Hash32, MessageSignature)} without blocking: the returned future
   * completes once the message is journaled (then nothing can lose it), or fails with a
   * {@link SubmitRejectedException}. One thread can keep thousands of submissions in flight this way,
   * and the journal writes them in large groups.
   *
   * @throws SubmitRejectedException at once if the backlog is full, the anchorer is closed, or the key
   *     is pending with another commitment
   */
  public CompletableFuture<PendingProof> submitAsync(MessageKey key, Hash32 commitment, @Nullable MessageSignature signature) {
    return intake.durable(intake.enqueue(key, commitment, signature));
  }

  // ---------------------------------------------------------------------------------------------
  // Proofs and state

  /**
   * The proof of a message whose batch is anchored and confirmed, from memory or the journal; empty
   * if the message is unknown or not confirmed yet.
   */
  public Optional<MessageProof> proof(MessageKey key) {
    Objects.requireNonNull(key, "key == null");
    Optional<PendingProof> pending = intake.pending(key);
    if (pending.isPresent() && pending.get().isAnchored()) {
      return Optional.of(pending.get().proof.join());
    }
    return assembler.anchoredProof(journal, key);
  }

  /**
   * The best proof available now: the anchored one once confirmed, else the sealed one (signed
   * checkpoint, no anchor) once the message's batch has closed; empty while it waits for its batch.
   */
  public Optional<MessageProof> latestProof(MessageKey key) {
    Objects.requireNonNull(key, "key == null");
    return assembler.latestProof(journal, key);
  }

  /**
   * Removes the ids, signer and signature of the messages an erasure receipt names from the journal
   * (GDPR erasure: see {@link AnchorJournal#forget}); their commitments stay in their batches, so every
   * other proof is unaffected, and the erased message's own proof — kept by the host, reduced for
   * erasure — still verifies. Call it with each receipt the message store returns.
   *
   * @return the messages not forgotten yet because their batch is not confirmed: call again once it is
   * @throws JournalException if the journal could not record it (call again: it is idempotent)
   */
  public List<MessageRef> forget(ErasureReceipt receipt) {
    Objects.requireNonNull(receipt, "receipt == null");
    Map<MessageKey, Hash32> erased = new LinkedHashMap<>();
    for (ErasureReceipt.Erased message : receipt.erased()) {
      erased.put(new MessageKey(message.ref().conversationId(), message.ref().messageId()), message.commitment());
    }
    return journal.forget(erased).stream().map(key -> new MessageRef(key.conversationId(), key.messageId())).toList();
  }

  /**
   * Gives every batch whose anchoring was given up another round, once an operator removed the cause
   * (allowed the publisher on a restricted contract, unpaused it): the batch is checked against the
   * chain, then sent again with a fresh allowance of {@code maxReverts}; the batches held behind it
   * follow in order. A restart does the same. Only the leading instance anchors, so elsewhere this
   * does nothing.
   *
   * @return how many failed batches were given another round (0 if none, or if this instance does not lead)
   * @throws JournalException if the journal could not record it (nothing was retried; call again)
   */
  public int retryFailedBatches() {
    return leadership.retryFailed();
  }

  /** Whether this instance leads its journal now: batches, sends and confirms for every instance sharing it. */
  public boolean leads() {
    return leadership.leads();
  }

  /**
   * Why this instance refuses to lead: the journal contradicts the chain (it is behind it, e.g.
   * restored from an older backup). Messages are still accepted and kept; an operator must act.
   */
  public Optional<String> refusal() {
    return leadership.refusal();
  }

  /** Messages accepted and not yet confirmed. */
  public int backlog() {
    return intake.backlog();
  }

  /** The operator address that publishes anchors. */
  public EvmAddress publisher() {
    return publisher;
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Stops accepting messages, closes the open batch at once, and waits (up to the close timeout) until
   * every accepted message is anchored and confirmed. Whatever is not finished by then stays in the
   * journal, and a new anchorer on the same journal finishes it; its pending futures fail. Idempotent.
   *
   * <p>Interrupting the closing thread (or closing on an interrupted one) ends the wait for pending
   * proofs at once; the anchorer's threads are still stopped before this returns, and the thread's
   * interrupt status is kept.
   */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    boolean interrupted = Thread.interrupted(); // cleared so that stopping our threads can wait for them
    try {
      intake.stopAccepting();
      leadership.closing();
      long deadline = System.nanoTime() + closeTimeout.toNanos();
      while (!interrupted && !intake.idle() && System.nanoTime() < deadline && leadership.proofsMayCome()) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      stopped = true;
      leadership.close();
      interrupted |= Thread.interrupted();
      intake.close();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void notifyError(String what, Throwable error) {
    log.warn("{}: {}", what, error.toString());
    for (AnchorListener listener : listeners) {
      try {
        listener.onError(what, error);
      } catch (RuntimeException e) {
        log.warn("an AnchorListener threw {}", e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "Anchorer[publisher " + publisher + ", contract " + contract.address() + ", chain " + chainId + ", "
        + (leads() ? "leading" : leadership.refusal().isPresent() ? "refusing" : "following") + ", backlog "
        + intake.backlog() + "]";
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
    private int maxReverts = 3;
    private BigInteger maxFeePerGas = FeeQuote.DEFAULT_MAX_FEE_CAP;
    private Duration pollInterval = Duration.ofMillis(50);
    private Duration rebroadcastInterval = Duration.ofSeconds(15);
    private Duration replaceAfter = Duration.ofSeconds(60);
    private Duration leaseCheckInterval = Duration.ofSeconds(1);
    private Duration submitTimeout = Duration.ofSeconds(30);
    private int reorgDepth = 64;
    private long logQueryBlockRange = 5_000;
    private Duration closeTimeout = Duration.ofSeconds(60);
    private final List<AnchorListener> listeners = new ArrayList<>();
    private Executor callbacks = ForkJoinPool.commonPool();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder chain(ChainClient chain) {
      this.chain = Objects.requireNonNull(chain, "chain == null");
      return this;
    }

    /** The anchor contract; give its deployment block ({@link AnchorContract#at(EvmAddress, long)}) to bound chain searches. */
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
      this.confirmations = atLeast(confirmations, 1, "confirmations");
      return this;
    }

    /** Most messages that may await confirmation before submit fails fast; default 1,000,000. */
    public Builder maxBacklog(int maxBacklog) {
      this.maxBacklog = atLeast(maxBacklog, 1, "maxBacklog");
      return this;
    }

    /** Reverted anchoring transactions of one batch before it is given up and reported; default 3. */
    public Builder maxReverts(int reverts) {
      this.maxReverts = atLeast(reverts, 1, "maxReverts");
      return this;
    }

    /** The most this anchorer pays per gas, in wei; default 500 gwei. */
    public Builder maxFeePerGas(BigInteger weiPerGas) {
      Objects.requireNonNull(weiPerGas, "weiPerGas == null");
      if (weiPerGas.signum() <= 0) {
        throw new IllegalArgumentException("maxFeePerGas must be positive, got " + weiPerGas);
      }
      this.maxFeePerGas = weiPerGas;
      return this;
    }

    /** How often receipts and confirmations are polled; default 50 ms. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /** How long to wait for a receipt before broadcasting the same transaction again; default 15 s. */
    public Builder rebroadcastInterval(Duration rebroadcastInterval) {
      this.rebroadcastInterval = positive(rebroadcastInterval, "rebroadcastInterval");
      return this;
    }

    /**
     * How long an anchoring transaction may stay pending before it is replaced at the same nonce with
     * higher fees (at least 12.5 % more, within the max-fee cap); default 60 s.
     */
    public Builder replaceAfter(Duration replaceAfter) {
      this.replaceAfter = positive(replaceAfter, "replaceAfter");
      return this;
    }

    /** How often the leader confirms it still holds the journal's lead; default 1 s. */
    public Builder leaseCheckInterval(Duration interval) {
      this.leaseCheckInterval = positive(interval, "leaseCheckInterval");
      return this;
    }

    /** How long {@link Anchorer#submit} waits for the journal before failing; default 30 s. */
    public Builder submitTimeout(Duration timeout) {
      this.submitTimeout = positive(timeout, "submitTimeout");
      return this;
    }

    /**
     * How many blocks deep a confirmed batch is still watched: if a reorganization removes its anchor
     * within that depth, the same transaction is broadcast again and the proofs re-issued; default 64.
     */
    public Builder reorgDepth(int reorgDepth) {
      this.reorgDepth = atLeast(reorgDepth, 1, "reorgDepth");
      return this;
    }

    /** The widest block range of one log query when searching the chain for anchors; default 5,000. */
    public Builder logQueryBlockRange(long blocks) {
      if (blocks < 1) {
        throw new IllegalArgumentException("logQueryBlockRange must be at least 1, got " + blocks);
      }
      this.logQueryBlockRange = blocks;
      return this;
    }

    /** How long {@link Anchorer#close()} waits for pending messages; default 60 s. */
    public Builder closeTimeout(Duration closeTimeout) {
      Objects.requireNonNull(closeTimeout, "closeTimeout == null");
      if (closeTimeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative, got " + closeTimeout);
      }
      this.closeTimeout = closeTimeout;
      return this;
    }

    /** Where proof futures complete; default {@link ForkJoinPool#commonPool()}, never the anchorer's own threads. */
    public Builder callbackExecutor(Executor executor) {
      this.callbacks = Objects.requireNonNull(executor, "executor == null");
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

    private static int atLeast(int value, int min, String name) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
      }
      return value;
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    /**
     * Builds the anchorer, binds its journal to this publisher, chain and contract, takes the lead if
     * nobody holds it (recovering whatever the journal holds from an earlier run), and starts it.
     *
     * @throws NullPointerException naming the first required setting that is missing
     * @throws JournalException if the journal belongs to another publisher, chain or contract, or fails
     * @throws ChainException if the chain cannot be reached to read the chain id, the nonce and the history
     */
    public Anchorer build() {
      return new Anchorer(this);
    }
  }
}
