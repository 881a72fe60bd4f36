package io.chainseal.anchor;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.OfflineVerifier;
import io.chainseal.core.Salt;
import io.chainseal.core.VerificationResult;
import io.chainseal.core.VerificationStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a message's provenance against the chain: everything {@link OfflineVerifier} checks, then
 * that the proof's root and tree size were anchored by the named transaction, in the named contract's
 * event at the named log index, on the chain the client is connected to, by a trusted publisher, with
 * enough confirmations. A verified message existed by the anchoring block's timestamp.
 *
 * <p>Receipts and block times are cached (receipts only once confirmed, for {@code cacheTtl}), and the chain head for
 * {@code headTtl}, so verifying 10,000 proofs of one batch costs one receipt lookup, not 10,000.
 * Never throws on hostile input or a failing RPC endpoint: those are verdicts too ({@code UNAVAILABLE}
 * when the chain cannot be reached). Thread-safe; share one instance.
 */
public final class ProvenanceVerifier {
  private final ChainClient chain;
  private final Set<EvmAddress> trustedPublishers;
  private final @Nullable Set<EvmAddress> trustedContracts;
  private final int confirmations;
  private final OfflineVerifier offline;
  private final Duration headTtl;
  private final Duration cacheTtl;
  private final Duration anchorDeadline;
  private final long searchFromBlock;
  private final Clock clock;
  private final Map<Hash32, Cached> receipts = lru(10_000);

  /** A confirmed receipt and when it was cached: entries are refetched after {@code cacheTtl}, so a deep reorganization is noticed. */
  private record Cached(ChainReceipt receipt, Instant at) {}
  private final Map<Long, ChainBlock> blocks = lru(10_000);
  private long cachedHead = -1;
  private Instant cachedHeadAt = Instant.EPOCH;

  private ProvenanceVerifier(Builder b) {
    this.chain = Objects.requireNonNull(b.chain, "chain is not set");
    this.trustedPublishers = Set.copyOf(b.trustedPublishers);
    this.trustedContracts = b.trustedContracts == null ? null : Set.copyOf(b.trustedContracts);
    this.confirmations = b.confirmations;
    this.offline = b.offline;
    this.headTtl = b.headTtl;
    this.cacheTtl = b.cacheTtl;
    this.anchorDeadline = b.anchorDeadline;
    this.searchFromBlock = b.searchFromBlock;
    this.clock = b.clock;
  }

  private static <K, V> Map<K, V> lru(int size) {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > size;
      }
    };
  }

  public static Builder builder(ChainClient chain) {
    return new Builder(chain);
  }

  /** Verifies {@code envelope} with {@code salt} against {@code proof} and the chain. */
  public ProvenanceResult verify(@Nullable MessageEnvelope envelope, @Nullable Salt salt, @Nullable MessageProof proof) {
    VerificationResult local = offline.verify(envelope, salt, proof);
    if (!local.isVerified()) {
      return new ProvenanceResult(local, -1, null, null, 0);
    }
    try {
      return onChain(Objects.requireNonNull(proof));
    } catch (ChainException e) {
      return ProvenanceResult.of(VerificationStatus.UNAVAILABLE, "the chain could not be checked: " + e.getMessage());
    } catch (RuntimeException e) {
      return ProvenanceResult.of(VerificationStatus.BAD_PROOF, "proof could not be checked (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Verifies what remains of an <em>erased</em> message — its proof, without content or salt: that
   * the proof's commitment is in the anchored batch (and signed, if the proof carries a signature).
   * A {@code VERIFIED} result says that <em>a</em> message existed at that position by the block time,
   * and nothing about what it said.
   */
  public ProvenanceResult verifyErased(@Nullable MessageProof proof) {
    if (proof == null) {
      return ProvenanceResult.of(VerificationStatus.BAD_PROOF, "missing proof");
    }
    try {
      io.chainseal.core.ProofCheck inclusion = io.chainseal.core.MerkleVerifier.verifyInclusion(
          proof.commitment(), proof.inclusion(), proof.root());
      if (!inclusion.valid()) {
        return ProvenanceResult.of(VerificationStatus.BAD_PROOF, "batch inclusion proof fails: " + inclusion.reason());
      }
      if (proof.signature().isPresent()) {
        io.chainseal.core.SignatureCheck signature = io.chainseal.core.SignatureVerifier.verify(proof.commitment(),
            proof.signature().get());
        if (!signature.valid()) {
          return ProvenanceResult.of(VerificationStatus.BAD_SIGNATURE, signature.reason());
        }
      }
      return onChain(proof);
    } catch (ChainException e) {
      return ProvenanceResult.of(VerificationStatus.UNAVAILABLE, "the chain could not be checked: " + e.getMessage());
    } catch (RuntimeException e) {
      return ProvenanceResult.of(VerificationStatus.BAD_PROOF, "proof could not be checked (" + e.getClass().getSimpleName() + ")");
    }
  }

  private ProvenanceResult onChain(MessageProof proof) {
    Optional<AnchorReference> reference = proof.anchor();
    if (reference.isEmpty()) {
      if (proof.checkpoint().isPresent()) {
        return sealed(proof.checkpoint().get());
      }
      return ProvenanceResult.of(VerificationStatus.NOT_ANCHORED, "the proof names no anchor transaction");
    }
    AnchorReference anchor = reference.get();
    long chainId = chain.chainId();
    if (anchor.chainId() != chainId) {
      return ProvenanceResult.of(VerificationStatus.WRONG_CHAIN, "the proof names chain " + anchor.chainId()
          + ", the endpoint serves chain " + chainId);
    }
    if (trustedContracts != null && !trustedContracts.contains(anchor.contract())) {
      return ProvenanceResult.of(VerificationStatus.NOT_ANCHORED, "contract " + anchor.contract() + " is not a trusted anchor contract");
    }
    Optional<ChainReceipt> found = receipt(anchor.transactionHash());
    if (found.isEmpty()) {
      if (anchor.blockHash() != null) {
        Optional<ChainBlock> block = chain.block(anchor.blockNumber());
        if (block.isEmpty() || !block.get().hash().equals(anchor.blockHash())) {
          return ProvenanceResult.of(VerificationStatus.REORGED, "block " + anchor.blockNumber() + " "
              + anchor.blockHash().hex0x() + " that held the anchor is no longer on the chain (reorganized away);"
              + " ask the publisher for the re-issued proof");
        }
      }
      return ProvenanceResult.of(VerificationStatus.NOT_ANCHORED, "no mined transaction " + anchor.transactionHash().hex0x()
          + " on chain " + chainId);
    }
    ChainReceipt receipt = found.get();
    if (anchor.blockHash() != null && !receipt.blockHash().equals(anchor.blockHash())) {
      return ProvenanceResult.of(VerificationStatus.REORGED, "the anchor transaction is now in block " + receipt.blockNumber()
          + ", not in block " + anchor.blockNumber() + " " + anchor.blockHash().hex0x() + " as the proof says (reorganized);"
          + " ask the publisher for the re-issued proof");
    }
    if (!receipt.success()) {
      return ProvenanceResult.of(VerificationStatus.NOT_ANCHORED, "transaction " + anchor.transactionHash().hex0x() + " reverted");
    }
    if (receipt.blockNumber() != anchor.blockNumber()) {
      return ProvenanceResult.of(VerificationStatus.NOT_ANCHORED, "transaction is in block " + receipt.blockNumber()
          + ", the proof says " + anchor.blockNumber());
    }
    Optional<AnchoredEvent> event = receipt.logs().stream()
        .filter(l -> l.logIndex() == anchor.logIndex() && l.address().equals(anchor.contract()))
        .flatMap(l -> AnchorContract.decodeAny(l).stream())
        .findFirst();
    if (event.isEmpty()) {
      return ProvenanceResult.of(VerificationStatus.NOT_ANCHORED, "no Anchored event of " + anchor.contract()
          + " at log index " + anchor.logIndex() + " of " + anchor.transactionHash().hex0x());
    }
    AnchoredEvent anchored = event.get();
    if (!anchored.root().equals(proof.root())) {
      return ProvenanceResult.of(VerificationStatus.NOT_ANCHORED, "anchored root is " + anchored.root()
          + ", the proof's root is " + proof.root());
    }
    if (anchored.treeSize() != proof.inclusion().treeSize()) {
      return ProvenanceResult.of(VerificationStatus.NOT_ANCHORED, "anchored tree size is " + anchored.treeSize()
          + ", the proof says " + proof.inclusion().treeSize());
    }
    if (!trustedPublishers.isEmpty() && !trustedPublishers.contains(anchored.publisher())) {
      return new ProvenanceResult(VerificationResult.of(VerificationStatus.UNTRUSTED_PUBLISHER,
          "anchored by " + anchored.publisher() + ", who is not among the trusted publishers"),
          receipt.blockNumber(), null, anchored.publisher(), 0);
    }
    long head = head();
    long depth = head - receipt.blockNumber() + 1;
    Instant time = block(receipt.blockNumber()).map(ChainBlock::timestamp).orElse(null);
    if (depth < confirmations) {
      return new ProvenanceResult(VerificationResult.of(VerificationStatus.PENDING, "anchored in block " + receipt.blockNumber()
          + " with " + Math.max(depth, 0) + " of " + confirmations + " confirmations"), receipt.blockNumber(), time,
          anchored.publisher(), Math.max(depth, 0));
    }
    if (time == null) {
      return ProvenanceResult.of(VerificationStatus.PENDING, "block " + receipt.blockNumber() + " is not available yet");
    }
    synchronized (receipts) {
      receipts.put(anchor.transactionHash(), new Cached(receipt, clock.instant())); // confirmed: worth caching
    }
    return new ProvenanceResult(VerificationResult.of(VerificationStatus.VERIFIED, "anchored by " + anchored.publisher()
        + " in block " + receipt.blockNumber() + " at " + time + " with " + depth + " confirmations"),
        receipt.blockNumber(), time, anchored.publisher(), depth);
  }

  /**
   * A sealed proof (checkpoint, no anchor): look on chain for the publisher's anchor with the
   * checkpoint's sequence number. The same root there upgrades the proof to VERIFIED (or PENDING);
   * another root is an equivocation; nothing past the deadline is a broken promise.
   */
  private ProvenanceResult sealed(io.chainseal.core.SignedCheckpoint signed) {
    io.chainseal.core.Checkpoint checkpoint = signed.checkpoint();
    long chainId = chain.chainId();
    if (checkpoint.chainId() != chainId) {
      return ProvenanceResult.of(VerificationStatus.WRONG_CHAIN, "the checkpoint promises chain " + checkpoint.chainId()
          + ", the endpoint serves chain " + chainId);
    }
    if (!trustedPublishers.isEmpty() && !trustedPublishers.contains(checkpoint.publisher())) {
      return new ProvenanceResult(VerificationResult.of(VerificationStatus.UNTRUSTED_PUBLISHER, "sealed by "
          + checkpoint.publisher() + ", who is not among the trusted publishers"), -1, null, checkpoint.publisher(), 0);
    }
    if (trustedContracts != null && !trustedContracts.contains(checkpoint.contract())) {
      return ProvenanceResult.of(VerificationStatus.NOT_ANCHORED, "contract " + checkpoint.contract()
          + " is not a trusted anchor contract");
    }
    byte[] publisherTopic = new byte[32];
    System.arraycopy(checkpoint.publisher().bytes(), 0, publisherTopic, 12, 20);
    byte[] sequenceTopic = new byte[32];
    for (int i = 0; i < 8; i++) {
      sequenceTopic[31 - i] = (byte) (checkpoint.sequence() >>> (8 * i));
    }
    java.util.List<ChainLog> logs = chain.logs(checkpoint.contract(), java.util.Arrays.asList(AnchorContract.ANCHORED_TOPIC,
        Hash32.of(publisherTopic), null, Hash32.of(sequenceTopic)), searchFromBlock, -1);
    for (ChainLog log : logs) {
      Optional<AnchoredEvent> event = AnchorContract.decodeAny(log);
      if (event.isEmpty()) {
        continue;
      }
      if (!event.get().root().equals(checkpoint.root()) || event.get().treeSize() != checkpoint.treeSize()) {
        return new ProvenanceResult(VerificationResult.of(VerificationStatus.EQUIVOCATION, "publisher "
            + checkpoint.publisher() + " signed root " + checkpoint.root() + " as batch " + checkpoint.sequence()
            + " but anchored root " + event.get().root() + " under that number (transaction "
            + log.transactionHash().hex0x() + ")"), log.blockNumber(), null, checkpoint.publisher(), 0);
      }
    }
    for (ChainLog log : logs) {
      if (AnchorContract.decodeAny(log).isPresent()) {
        long depth = head() - log.blockNumber() + 1;
        Instant time = block(log.blockNumber()).map(ChainBlock::timestamp).orElse(null);
        VerificationStatus status = depth >= confirmations && time != null ? VerificationStatus.VERIFIED : VerificationStatus.PENDING;
        return new ProvenanceResult(VerificationResult.of(status, "sealed batch " + checkpoint.sequence() + " is anchored in block "
            + log.blockNumber() + " (transaction " + log.transactionHash().hex0x() + ", " + Math.max(depth, 0) + " of "
            + confirmations + " confirmations); fetch the upgraded proof from the publisher"),
            log.blockNumber(), time, checkpoint.publisher(), Math.max(depth, 0));
      }
    }
    Instant deadline = checkpoint.time().plus(anchorDeadline);
    if (clock.instant().isAfter(deadline)) {
      return new ProvenanceResult(VerificationResult.of(VerificationStatus.UNANCHORED_CHECKPOINT, "publisher "
          + checkpoint.publisher() + " sealed batch " + checkpoint.sequence() + " at " + checkpoint.time()
          + " but has not anchored it by " + deadline), -1, null, checkpoint.publisher(), 0);
    }
    return new ProvenanceResult(VerificationResult.of(VerificationStatus.SEALED, "sealed by " + checkpoint.publisher()
        + " in batch " + checkpoint.sequence() + " at " + checkpoint.time() + "; anchoring due by " + deadline),
        -1, checkpoint.time(), checkpoint.publisher(), 0);
  }

  private Optional<ChainReceipt> receipt(Hash32 hash) {
    synchronized (receipts) {
      Cached cached = receipts.get(hash);
      if (cached != null && clock.instant().isBefore(cached.at().plus(cacheTtl))) {
        return Optional.of(cached.receipt());
      }
    }
    return chain.receipt(hash);
  }

  private Optional<ChainBlock> block(long number) {
    synchronized (blocks) {
      ChainBlock cached = blocks.get(number);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    Optional<ChainBlock> block = chain.block(number);
    block.ifPresent(b -> {
      synchronized (blocks) {
        blocks.put(number, b);
      }
    });
    return block;
  }

  private synchronized long head() {
    Instant now = clock.instant();
    if (cachedHead < 0 || now.isAfter(cachedHeadAt.plus(headTtl))) {
      cachedHead = chain.blockNumber();
      cachedHeadAt = now;
    }
    return cachedHead;
  }

  /** Settings of a {@link ProvenanceVerifier}. */
  public static final class Builder {
    private final ChainClient chain;
    private final java.util.Set<EvmAddress> trustedPublishers = new java.util.HashSet<>();
    private java.util.@Nullable Set<EvmAddress> trustedContracts;
    private int confirmations = 3;
    private OfflineVerifier offline = OfflineVerifier.create();
    private Duration headTtl = Duration.ofSeconds(1);
    private Duration cacheTtl = Duration.ofMinutes(1);
    private Duration anchorDeadline = Duration.ofHours(1);
    private long searchFromBlock;
    private Clock clock = Clock.systemUTC();

    private Builder(ChainClient chain) {
      this.chain = Objects.requireNonNull(chain, "chain == null");
    }

    /**
     * Adds a publisher whose anchors are trusted. With none added, any publisher is accepted (and named
     * in the result): fine for exploring, not for deciding disputes.
     */
    public Builder trustPublisher(EvmAddress publisher) {
      trustedPublishers.add(Objects.requireNonNull(publisher, "publisher == null"));
      return this;
    }

    /** Accepts anchors only from this contract (may be called repeatedly); by default any contract. */
    public Builder trustContract(EvmAddress contract) {
      if (trustedContracts == null) {
        trustedContracts = new java.util.HashSet<>();
      }
      trustedContracts.add(Objects.requireNonNull(contract, "contract == null"));
      return this;
    }

    /** Blocks (including the anchoring block) required for {@code VERIFIED}; default 3. */
    public Builder confirmations(int confirmations) {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be at least 1");
      }
      this.confirmations = confirmations;
      return this;
    }

    /** The offline checks to run first; default {@link OfflineVerifier#create()}. */
    public Builder offline(OfflineVerifier offline) {
      this.offline = Objects.requireNonNull(offline, "offline == null");
      return this;
    }

    /** How long the chain head is reused between verifications; default 1 s. */
    public Builder headTtl(Duration headTtl) {
      this.headTtl = Objects.requireNonNull(headTtl, "headTtl == null");
      return this;
    }

    /**
     * How long after its checkpoint a sealed batch must be anchored; past that, a sealed proof whose
     * root is not on chain is {@code UNANCHORED_CHECKPOINT}. Default 1 hour.
     */
    public Builder anchorDeadline(Duration anchorDeadline) {
      this.anchorDeadline = Objects.requireNonNull(anchorDeadline, "anchorDeadline == null");
      return this;
    }

    /** The first block searched for the anchor of a sealed proof (the contract's deployment); default 0. */
    public Builder searchFromBlock(long block) {
      if (block < 0) {
        throw new IllegalArgumentException("block < 0");
      }
      this.searchFromBlock = block;
      return this;
    }

    /** How long a confirmed receipt is reused before it is fetched again; default 1 minute. */
    public Builder cacheTtl(Duration cacheTtl) {
      this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl == null");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    public ProvenanceVerifier build() {
      return new ProvenanceVerifier(this);
    }
  }
}
