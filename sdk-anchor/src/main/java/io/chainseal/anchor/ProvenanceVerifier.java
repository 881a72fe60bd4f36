package io.chainseal.anchor;

import io.chainseal.chain.BlockTag;
import io.chainseal.chain.ChainBlock;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;

import io.chainseal.anchor.internal.AnchorLookup;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.Checkpoint;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.OfflineVerifier;
import io.chainseal.core.Salt;
import io.chainseal.core.SignedCheckpoint;
import io.chainseal.core.VerificationResult;
import io.chainseal.core.VerificationStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a message's provenance against the chain, in the order of {@code docs/proof-format.md} §10:
 * everything {@link OfflineVerifier} checks; then that the proof's root and tree size were anchored by
 * the named transaction, in a trusted contract's {@code Anchored} event at the named log index, on
 * the trusted chain, sent by the publisher the event names, who is trusted; that the publisher's
 * anchors around this one form one history (no second root under the same batch number, and
 * {@code previousRoot} links to the neighbours: {@code EQUIVOCATION} or {@code BROKEN_HISTORY}
 * otherwise, with the anchors as {@link ProvenanceResult#evidence() evidence}); and that the anchoring
 * block is final or has enough confirmations. A verified message existed by the anchoring block's time.
 *
 * <p><b>Security guarantees.</b> Fails closed: {@link #builder(ChainClient)} demands the chain id, at
 * least one anchor contract and at least one publisher to trust ({@link TrustSettings}); nothing in a
 * proof file widens that. A {@code VERIFIED} result can only come from an {@code Anchored} event that a
 * trusted publisher sent to a trusted contract on the trusted chain. The verifier believes its RPC
 * endpoint about the chain's contents: point it at a node you trust. A sealed proof (checkpoint only)
 * is looked up by its publisher and batch number and verified through the anchor found.
 *
 * <p><b>Caching.</b> Receipts and blocks are reused only while they are certainly still on the chain:
 * at or below the finalized block (the node's {@code finalized} tag, or {@code finalityDepth} blocks
 * below the head on chains without one), or while the head block — by hash — is the one they were
 * checked against; a moved head revalidates them, so a reorganization is noticed by the next
 * verification. The head is read for every verification unless {@link Builder#headTtl} allows reuse;
 * a cached head is read again before a proof is reported {@code PENDING}.
 *
 * <p>Never throws: hostile input and failing endpoints are verdicts ({@code UNAVAILABLE} when the chain
 * cannot be reached or the endpoint serves another chain); a bug inside the verifier is logged and
 * reported as {@code VERIFIER_ERROR}. Thread-safe; share one instance.
 */
public final class ProvenanceVerifier {
  /**
   * Confirmations (the anchoring block included) that the verifier, the anchorer and the command line
   * require by default; a finalized block always suffices. See docs/anchoring.md for each chain.
   */
  public static final int DEFAULT_CONFIRMATIONS = io.chainseal.chain.TransactionSender.DEFAULT_CONFIRMATIONS;

  private static final Logger log = LoggerFactory.getLogger(ProvenanceVerifier.class);
  private static final Hash32 ZERO = Hash32.of(new byte[32]);
  /** How far in the verifier's future a checkpoint's time may be (clocks differ a little). */
  private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private final ChainClient chain;
  private final TrustSettings trust;
  private final int confirmations;
  private final boolean requireFinalized;
  private final int finalityDepth;
  private final OfflineVerifier offline;
  private final Duration headTtl;
  private final Duration anchorDeadline;
  private final Clock clock;
  private final AnchorLookup lookup;

  /**
   * A receipt and the head (by hash) under which its block was last seen on the canonical chain;
   * {@code permanent} once that check found the block at or below the finalized height.
   */
  private record CachedReceipt(ChainReceipt receipt, Hash32 checkedAtHead, boolean permanent) {}

  /** The canonical block at a height, as seen under the head {@code checkedAtHead}; permanent once seen final. */
  private record CanonicalBlock(ChainBlock block, Hash32 checkedAtHead, boolean permanent) {}

  /** The chain as one verification sees it: the head, the finalized height, and whether it was read just now. */
  private record View(ChainBlock head, long finalized, Instant readAt, boolean fresh) {}

  private final Map<Hash32, CachedReceipt> receipts = lru(10_000);
  private final Map<Long, CanonicalBlock> blocks = lru(10_000);
  private final Object viewLock = new Object();
  private @Nullable View lastView;
  private long finalizedFloor = -1;
  private @Nullable Hash32 finalizedReadAtHead;
  private @Nullable Boolean finalizedTagSupported;

  private ProvenanceVerifier(Builder b) {
    this.chain = b.chain;
    this.trust = b.trust.build();
    this.confirmations = b.confirmations;
    this.requireFinalized = b.requireFinalized;
    this.finalityDepth = b.finalityDepth;
    this.offline = b.offline;
    this.headTtl = b.headTtl;
    this.anchorDeadline = b.anchorDeadline;
    this.clock = b.clock;
    this.lookup = new AnchorLookup(chain, b.logQueryBlockRange, 4096, b.historyRecheck, b.clock);
  }

  private static <K, V> Map<K, V> lru(int size) {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > size;
      }
    };
  }

  /** Settings for a verifier on {@code chain}; the trust settings are required. */
  public static Builder builder(ChainClient chain) {
    return new Builder(chain);
  }

  /** What this verifier trusts. */
  public TrustSettings trust() {
    return trust;
  }

  /** Verifies {@code envelope} with {@code salt} against {@code proof} and the chain. */
  public ProvenanceResult verify(@Nullable MessageEnvelope envelope, @Nullable Salt salt, @Nullable MessageProof proof) {
    VerificationResult local = offline.verify(envelope, salt, proof);
    if (!local.isVerified()) {
      return ProvenanceResult.of(local);
    }
    return online(Objects.requireNonNull(proof), local);
  }

  /**
   * Verifies what remains of an <em>erased</em> message — its proof, without content or salt — with
   * the same checks as {@link #verify} except those that need the message: the batch path, the
   * checkpoint, the signature's validity (if the proof still carries one), the anchor, the history.
   * {@code VERIFIED} says that <em>a</em> message existed at that position by the block time, and
   * nothing about what it said. Reduce the proof first with {@link MessageProof#redactedForErasure()}.
   */
  public ProvenanceResult verifyErased(@Nullable MessageProof proof) {
    VerificationResult local = offline.verifyErased(proof);
    if (!local.isVerified()) {
      return ProvenanceResult.of(local);
    }
    return online(Objects.requireNonNull(proof), local);
  }

  private ProvenanceResult online(MessageProof proof, VerificationResult local) {
    try {
      return check(proof, local, view(false));
    } catch (ChainException e) {
      return ProvenanceResult.of(local.withVerdict(VerificationStatus.UNAVAILABLE,
          "the chain could not be checked: " + e.getMessage()));
    } catch (RuntimeException e) {
      log.error("Chainseal verifier bug (this is not a verdict on the proof; please report it)", e);
      return ProvenanceResult.of(local.withVerdict(VerificationStatus.VERIFIER_ERROR, "the verifier failed ("
          + e.getClass().getSimpleName() + "); this says nothing about the proof; the error is logged"));
    }
  }

  private ProvenanceResult check(MessageProof proof, VerificationResult local, View view) {
    Optional<AnchorReference> anchor = proof.anchor();
    if (anchor.isPresent()) {
      return anchored(proof, anchor.get(), local, view);
    }
    if (proof.checkpoint().isPresent()) {
      return sealed(proof, proof.checkpoint().get(), local, view);
    }
    return ProvenanceResult.of(local.withVerdict(VerificationStatus.NOT_ANCHORED,
        "the proof names no anchor and carries no checkpoint"));
  }

  private static ProvenanceResult verdict(VerificationResult local, VerificationStatus status, String reason) {
    return ProvenanceResult.of(local.withVerdict(status, reason));
  }

  private @Nullable ProvenanceResult endpointServesTrustedChain(VerificationResult local) {
    long served = chain.chainId();
    if (served != trust.chainId()) {
      return verdict(local, VerificationStatus.UNAVAILABLE, "the RPC endpoint serves chain " + served
          + ", but this verifier trusts chain " + trust.chainId() + ": use an endpoint of chain " + trust.chainId());
    }
    return null;
  }

  private ProvenanceResult anchored(MessageProof proof, AnchorReference anchor, VerificationResult local, View view) {
    if (anchor.chainId() != trust.chainId()) {
      return verdict(local, VerificationStatus.WRONG_CHAIN, "the proof's anchor is on chain " + anchor.chainId()
          + ", this verifier trusts chain " + trust.chainId());
    }
    Long fromBlock = trust.contracts().get(anchor.contract());
    if (fromBlock == null) {
      return verdict(local, VerificationStatus.NOT_ANCHORED, "contract " + anchor.contract()
          + " is not a trusted anchor contract (trusted: " + trust.contracts().keySet() + ")");
    }
    ProvenanceResult wrongEndpoint = endpointServesTrustedChain(local);
    if (wrongEndpoint != null) {
      return wrongEndpoint;
    }
    Optional<ChainReceipt> found = receipt(anchor.transactionHash(), view);
    if (found.isPresent() && found.get().blockNumber() > view.head().number() && !view.fresh()) {
      return anchored(proof, anchor, local, view(true));
    }
    if (found.isPresent() && found.get().blockNumber() > view.head().number()) {
      view = view(true); // mined after the head was read
    }
    if (found.isEmpty()) {
      if (anchor.blockNumber() > view.head().number()) {
        return verdict(local, VerificationStatus.UNAVAILABLE, "the proof names block " + anchor.blockNumber()
            + ", above the endpoint's head " + view.head().number() + ": the endpoint is behind (try again or use another"
            + " endpoint), or the proof names a block that does not exist");
      }
      if (anchor.blockHash() != null) {
        ChainBlock at = canonical(anchor.blockNumber(), view);
        if (!at.hash().equals(anchor.blockHash())) {
          return verdict(local, VerificationStatus.REORGED, "block " + anchor.blockNumber() + " "
              + anchor.blockHash().hex0x() + " that held the anchor is no longer on the chain (reorganized away);"
              + " ask the publisher for the re-issued proof");
        }
      }
      return verdict(local, VerificationStatus.NOT_ANCHORED, "no mined transaction " + anchor.transactionHash().hex0x()
          + " on chain " + trust.chainId());
    }
    ChainReceipt receipt = found.get();
    if (anchor.blockHash() != null && !receipt.blockHash().equals(anchor.blockHash())) {
      return verdict(local, VerificationStatus.REORGED, "the anchor transaction is now in block " + receipt.blockNumber()
          + " " + receipt.blockHash().hex0x() + ", not in block " + anchor.blockNumber() + " " + anchor.blockHash().hex0x()
          + " as the proof says (reorganized); ask the publisher for the re-issued proof");
    }
    if (receipt.blockNumber() != anchor.blockNumber()) {
      return verdict(local, VerificationStatus.NOT_ANCHORED, "the transaction is in block " + receipt.blockNumber()
          + ", the proof says " + anchor.blockNumber());
    }
    if (!receipt.success()) {
      return verdict(local, VerificationStatus.NOT_ANCHORED, "transaction " + anchor.transactionHash().hex0x() + " reverted");
    }
    Optional<AnchoredEvent> decoded = receipt.logs().stream()
        .filter(l -> l.logIndex() == anchor.logIndex() && l.address().equals(anchor.contract()))
        .flatMap(l -> AnchorContract.decodeAny(l).stream())
        .findFirst();
    if (decoded.isEmpty()) {
      return verdict(local, VerificationStatus.NOT_ANCHORED, "no Anchored event of " + anchor.contract() + " at log index "
          + anchor.logIndex() + " of " + anchor.transactionHash().hex0x());
    }
    AnchoredEvent event = decoded.get();
    if (!event.root().equals(proof.root()) || event.treeSize() != proof.inclusion().treeSize()) {
      return verdict(local, VerificationStatus.NOT_ANCHORED, "the anchored batch has root " + event.root() + " of "
          + event.treeSize() + " messages, the proof has root " + proof.root() + " of " + proof.inclusion().treeSize());
    }
    if (!receipt.from().equals(event.publisher())) {
      return verdict(local, VerificationStatus.NOT_ANCHORED, "the anchoring transaction was sent by " + receipt.from()
          + ", but its event names publisher " + event.publisher());
    }
    boolean namedPublisher = trust.publishers().contains(event.publisher());
    AnchorReference located = new AnchorReference(trust.chainId(), anchor.contract(), receipt.transactionHash(),
        receipt.blockNumber(), anchor.logIndex(), receipt.blockHash());
    if (!trust.trusts(event.publisher())) {
      return ProvenanceResult.of(local.withVerdict(VerificationStatus.UNTRUSTED_PUBLISHER, "anchored by " + event.publisher()
          + ", who is not among the trusted publishers " + trust.publishers()), located, null, event.publisher(), false, 0, false);
    }
    if (proof.checkpoint().isPresent()) {
      Checkpoint checkpoint = proof.checkpoint().get().checkpoint();
      if (!checkpoint.publisher().equals(event.publisher()) || checkpoint.sequence() != event.sequence()) {
        return verdict(local, VerificationStatus.BAD_PROOF, "the signed checkpoint is batch " + checkpoint.sequence() + " of "
            + checkpoint.publisher() + ", the anchor is batch " + event.sequence() + " of " + event.publisher());
      }
    }
    ProvenanceResult history = history(anchor.contract(), fromBlock, event, located, local, view, namedPublisher);
    if (history != null) {
      return history;
    }
    ChainBlock block = canonical(receipt.blockNumber(), view);
    if (!block.hash().equals(receipt.blockHash())) {
      return verdict(local, VerificationStatus.UNAVAILABLE, "the endpoint's receipt names block " + receipt.blockHash().hex0x()
          + " but its block " + receipt.blockNumber() + " is " + block.hash().hex0x() + " (a reorganization in progress,"
          + " or an inconsistent endpoint); try again");
    }
    boolean isFinal = receipt.blockNumber() <= view.finalized();
    long depth = Math.max(0, view.head().number() - receipt.blockNumber() + 1);
    boolean enough = requireFinalized ? isFinal : isFinal || depth >= confirmations;
    if (!enough) {
      if (!view.fresh()) {
        return anchored(proof, anchor, local, view(true)); // never PENDING on a stale head
      }
      String needed = requireFinalized ? "finalization (finalized block " + view.finalized() + ")"
          : confirmations + " confirmations";
      return ProvenanceResult.of(local.withVerdict(VerificationStatus.PENDING, "anchored in block " + receipt.blockNumber()
          + " with " + depth + " confirmations; waiting for " + needed), located, block.timestamp(), event.publisher(),
          namedPublisher, depth, false);
    }
    String signer = local.senderBinding().isEmpty() ? "" : local.signer().map(s -> ", signed by " + s).orElse(", unsigned");
    return ProvenanceResult.of(local.withVerdict(VerificationStatus.VERIFIED, "batch " + event.sequence() + " of "
        + event.publisher() + (namedPublisher ? "" : " (accepted only because any publisher is: not a trusted publisher)")
        + " anchored in block " + receipt.blockNumber() + " at " + block.timestamp() + (isFinal ? ", finalized" : ", with "
        + depth + " confirmations") + signer), located, block.timestamp(), event.publisher(), namedPublisher, depth, isFinal);
  }

  /**
   * Checks that the publisher's anchors around {@code event} form one history: one root under its
   * sequence number, a predecessor whose root is its {@code previousRoot}, successors that name its root.
   *
   * @return null if they do, otherwise the verdict
   */
  private @Nullable ProvenanceResult history(EvmAddress contract, long fromBlock, AnchoredEvent event, AnchorReference located,
      VerificationResult local, View view, boolean namedPublisher) {
    long sequence = event.sequence();
    Set<Long> sequences = sequence > 1 ? Set.of(sequence - 1, sequence, sequence + 1) : Set.of(sequence, sequence + 1);
    Map<Long, List<AnchorLookup.Found>> found = lookup.find(contract, fromBlock, event.publisher(), sequences,
        view.finalized(), view.head().number(), view.head().hash());
    List<AnchorLookup.Found> same = found.getOrDefault(sequence, List.of());
    boolean seen = same.stream().anyMatch(f -> f.log().transactionHash().equals(located.transactionHash())
        && f.log().logIndex() == located.logIndex() && f.log().blockNumber() == located.blockNumber()
        && f.log().blockHash().equals(located.blockHash()));
    if (!seen) {
      lookup.forget(contract, event.publisher(), sequences); // whatever was read alongside is suspect too
      return verdict(local, VerificationStatus.UNAVAILABLE, "the endpoint's logs do not show the anchor that its receipt"
          + " shows (a lagging or inconsistent endpoint); try again");
    }
    List<AnchorLookup.Found> conflicting = same.stream()
        .filter(f -> !f.event().root().equals(event.root()) || f.event().treeSize() != event.treeSize()
            || !f.event().previousRoot().equals(event.previousRoot())).toList();
    if (!conflicting.isEmpty()) {
      AnchorLookup.Found other = conflicting.get(0);
      return equivocation(local, event.publisher(), namedPublisher, "publisher " + event.publisher() + " anchored two"
          + " different batches numbered " + sequence + ": root " + event.root() + " (" + event.treeSize() + " messages,"
          + " previous root " + event.previousRoot() + ", " + located.transactionHash().hex0x() + ") and root "
          + other.event().root() + " (" + other.event().treeSize() + " messages, previous root " + other.event().previousRoot()
          + ", " + other.log().transactionHash().hex0x() + ")", List.of(new AnchorEvidence(event, located), evidence(other)));
    }
    if (sequence == 1) {
      if (!event.previousRoot().equals(ZERO)) {
        return ProvenanceResult.against(local.withVerdict(VerificationStatus.BROKEN_HISTORY, "batch 1 of "
            + event.publisher() + " names a previous root " + event.previousRoot() + ", but there is no batch 0"),
            event.publisher(), namedPublisher, List.of(new AnchorEvidence(event, located)));
      }
    } else {
      List<AnchorLookup.Found> previous = found.getOrDefault(sequence - 1, List.of());
      if (previous.isEmpty()) {
        return ProvenanceResult.against(local.withVerdict(VerificationStatus.BROKEN_HISTORY, "batch " + (sequence - 1)
            + " of " + event.publisher() + " was never anchored in " + contract + ", yet batch " + sequence
            + " names it as its predecessor (previous root " + event.previousRoot() + ")"), event.publisher(),
            namedPublisher, List.of(new AnchorEvidence(event, located)));
      }
      for (AnchorLookup.Found before : previous) {
        if (!before.event().root().equals(event.previousRoot())) {
          return equivocation(local, event.publisher(), namedPublisher, "batch " + sequence + " of " + event.publisher()
              + " names previous root " + event.previousRoot() + ", but batch " + (sequence - 1) + " was anchored with root "
              + before.event().root() + " (" + before.log().transactionHash().hex0x() + ")",
              List.of(new AnchorEvidence(event, located), evidence(before)));
        }
      }
    }
    for (AnchorLookup.Found after : found.getOrDefault(sequence + 1, List.of())) {
      if (!after.event().previousRoot().equals(event.root())) {
        return equivocation(local, event.publisher(), namedPublisher, "batch " + (sequence + 1) + " of " + event.publisher()
            + " names previous root " + after.event().previousRoot() + " (" + after.log().transactionHash().hex0x()
            + "), but batch " + sequence + " was anchored with root " + event.root(),
            List.of(new AnchorEvidence(event, located), evidence(after)));
      }
    }
    return null;
  }

  private static ProvenanceResult equivocation(VerificationResult local, EvmAddress publisher, boolean namedPublisher,
      String reason, List<AnchorEvidence> evidence) {
    return ProvenanceResult.against(local.withVerdict(VerificationStatus.EQUIVOCATION, reason), publisher, namedPublisher,
        evidence);
  }

  private AnchorEvidence evidence(AnchorLookup.Found found) {
    ChainLog log = found.log();
    return new AnchorEvidence(found.event(), new AnchorReference(trust.chainId(), log.address(), log.transactionHash(),
        log.blockNumber(), log.logIndex(), log.blockHash()));
  }

  /**
   * A sealed proof (checkpoint, no anchor): find the publisher's anchor with the checkpoint's batch
   * number. The same root there is checked like a proof's own anchor (and named in the result, so the
   * proof can be upgraded); another root is an equivocation; nothing past the deadline is a broken promise.
   */
  private ProvenanceResult sealed(MessageProof proof, SignedCheckpoint signed, VerificationResult local, View view) {
    Checkpoint checkpoint = signed.checkpoint();
    if (checkpoint.chainId() != trust.chainId()) {
      return verdict(local, VerificationStatus.WRONG_CHAIN, "the checkpoint promises chain " + checkpoint.chainId()
          + ", this verifier trusts chain " + trust.chainId());
    }
    Long fromBlock = trust.contracts().get(checkpoint.contract());
    if (fromBlock == null) {
      return verdict(local, VerificationStatus.NOT_ANCHORED, "contract " + checkpoint.contract()
          + " is not a trusted anchor contract (trusted: " + trust.contracts().keySet() + ")");
    }
    boolean namedPublisher = trust.publishers().contains(checkpoint.publisher());
    if (!trust.trusts(checkpoint.publisher())) {
      return ProvenanceResult.of(local.withVerdict(VerificationStatus.UNTRUSTED_PUBLISHER, "sealed by "
          + checkpoint.publisher() + ", who is not among the trusted publishers " + trust.publishers()), null, null,
          checkpoint.publisher(), false, 0, false);
    }
    if (checkpoint.time().isAfter(clock.instant().plus(MAX_CLOCK_SKEW))) {
      return verdict(local, VerificationStatus.BAD_PROOF, "the checkpoint is dated " + checkpoint.time()
          + ", in the future: a sealed proof cannot postpone its anchoring deadline");
    }
    ProvenanceResult wrongEndpoint = endpointServesTrustedChain(local);
    if (wrongEndpoint != null) {
      return wrongEndpoint;
    }
    List<AnchorLookup.Found> found = lookup.find(checkpoint.contract(), fromBlock, checkpoint.publisher(),
        Set.of(checkpoint.sequence()), view.finalized(), view.head().number(), view.head().hash()).getOrDefault(checkpoint.sequence(), List.of());
    List<AnchorLookup.Found> conflicting = found.stream()
        .filter(f -> !f.event().root().equals(checkpoint.root()) || f.event().treeSize() != checkpoint.treeSize()).toList();
    if (!conflicting.isEmpty()) {
      AnchorLookup.Found other = conflicting.get(0);
      List<AnchorEvidence> evidence = new ArrayList<>();
      conflicting.forEach(f -> evidence.add(evidence(f)));
      return equivocation(local, checkpoint.publisher(), namedPublisher, "publisher " + checkpoint.publisher()
          + " signed root " + checkpoint.root() + " (" + checkpoint.treeSize() + " messages) as batch " + checkpoint.sequence()
          + " but anchored root " + other.event().root() + " (" + other.event().treeSize() + " messages) under that number"
          + " (transaction " + other.log().transactionHash().hex0x() + ")", evidence);
    }
    if (!found.isEmpty()) {
      ChainLog log = found.get(0).log();
      AnchorReference anchor = new AnchorReference(trust.chainId(), checkpoint.contract(), log.transactionHash(),
          log.blockNumber(), log.logIndex(), log.blockHash());
      ProvenanceResult result = anchored(proof.toBuilder().anchor(anchor).build(), anchor, local, view);
      if (result.status() == VerificationStatus.VERIFIED || result.status() == VerificationStatus.PENDING) {
        return ProvenanceResult.of(result.verdict().withVerdict(result.status(), "sealed batch " + checkpoint.sequence()
            + " is anchored: " + result.reason() + "; upgrade the proof with this result's anchor()"), anchor,
            result.existedBy().orElse(null), checkpoint.publisher(), namedPublisher, result.confirmations(), result.finalized());
      }
      return result;
    }
    Instant deadline = checkpoint.time().plus(anchorDeadline);
    if (clock.instant().isAfter(deadline)) {
      return ProvenanceResult.against(local.withVerdict(VerificationStatus.UNANCHORED_CHECKPOINT, "publisher "
          + checkpoint.publisher() + " sealed batch " + checkpoint.sequence() + " at " + checkpoint.time()
          + " but has not anchored it by " + deadline), checkpoint.publisher(), namedPublisher, List.of());
    }
    return ProvenanceResult.of(local.withVerdict(VerificationStatus.SEALED, "sealed by " + checkpoint.publisher()
        + " in batch " + checkpoint.sequence() + " at " + checkpoint.time() + "; anchoring due by " + deadline), null,
        checkpoint.time(), checkpoint.publisher(), namedPublisher, 0, false);
  }

  /** The receipt of {@code transaction}, from the cache only while its block is certainly still canonical. */
  private Optional<ChainReceipt> receipt(Hash32 transaction, View view) {
    CachedReceipt cached;
    synchronized (receipts) {
      cached = receipts.get(transaction);
    }
    if (cached != null) {
      ChainReceipt receipt = cached.receipt();
      if (cached.permanent() || cached.checkedAtHead().equals(view.head().hash())) {
        return Optional.of(receipt);
      }
      if (receipt.blockNumber() <= view.head().number()
          && canonical(receipt.blockNumber(), view).hash().equals(receipt.blockHash())) {
        remember(receipt, view);
        return Optional.of(receipt);
      }
      synchronized (receipts) {
        receipts.remove(transaction);
      }
    }
    Optional<ChainReceipt> fresh = chain.receipt(transaction);
    if (fresh.isPresent() && fresh.get().blockNumber() <= view.head().number()
        && canonical(fresh.get().blockNumber(), view).hash().equals(fresh.get().blockHash())) {
      remember(fresh.get(), view);
    }
    return fresh;
  }

  /** Caches a receipt just seen in the canonical chain under {@code view}'s head. */
  private void remember(ChainReceipt receipt, View view) {
    synchronized (receipts) {
      receipts.put(receipt.transactionHash(), new CachedReceipt(receipt, view.head().hash(),
          receipt.blockNumber() <= view.finalized()));
    }
  }

  /**
   * The canonical block at {@code height} (at most the head): from the cache if it was final when last
   * checked, or was checked under this very head; otherwise read again.
   */
  private ChainBlock canonical(long height, View view) {
    if (height == view.head().number()) {
      return view.head();
    }
    CanonicalBlock cached;
    synchronized (blocks) {
      cached = blocks.get(height);
    }
    if (cached != null && (cached.permanent() || cached.checkedAtHead().equals(view.head().hash()))) {
      return cached.block();
    }
    ChainBlock block = chain.block(height).orElseThrow(() -> new ChainException(ChainException.Kind.MALFORMED_ANSWER,
        "the endpoint has no block " + height + " although its head is block " + view.head().number()));
    synchronized (blocks) {
      blocks.put(height, new CanonicalBlock(block, view.head().hash(), height <= view.finalized()));
    }
    return block;
  }

  /** The head and the finalized height: read now, or reused within {@code headTtl} unless {@code fresh}. */
  private View view(boolean fresh) {
    Instant now = clock.instant();
    synchronized (viewLock) {
      if (!fresh && lastView != null && !headTtl.isZero() && now.isBefore(lastView.readAt().plus(headTtl))) {
        return new View(lastView.head(), lastView.finalized(), lastView.readAt(), false);
      }
    }
    ChainBlock head = chain.block(BlockTag.LATEST)
        .orElseThrow(() -> new ChainException(ChainException.Kind.MALFORMED_ANSWER, "the endpoint reports no latest block"));
    long finalized = finalized(head);
    View view = new View(head, finalized, now, true);
    synchronized (viewLock) {
      lastView = view;
    }
    return view;
  }

  /**
   * The finalized height under {@code head}: the node's {@code finalized} block where it has one, else
   * {@code finalityDepth} blocks below the head; never lower than what was seen before, never above the head.
   */
  private long finalized(ChainBlock head) {
    long value;
    synchronized (viewLock) {
      if (head.hash().equals(finalizedReadAtHead) && finalizedFloor >= 0) {
        return Math.min(finalizedFloor, head.number());
      }
    }
    Boolean supported = finalizedTagSupported;
    long tagged = -1;
    if (supported == null || supported) {
      try {
        tagged = chain.block(BlockTag.FINALIZED).map(ChainBlock::number).orElse(-1L);
        supported = true;
      } catch (ChainException e) {
        if (e.kind() != ChainException.Kind.UNSUPPORTED && e.kind() != ChainException.Kind.REJECTED) {
          throw e;
        }
        log.info("the endpoint does not serve the finalized block ({}); counting {} blocks below the head as final",
            e.getMessage(), finalityDepth);
        supported = false;
      }
    }
    value = supported ? tagged : head.number() - finalityDepth;
    synchronized (viewLock) {
      finalizedTagSupported = supported;
      finalizedFloor = Math.max(finalizedFloor, value);
      finalizedReadAtHead = head.hash();
      return Math.min(finalizedFloor, head.number());
    }
  }

  /** Settings of a {@link ProvenanceVerifier}. */
  public static final class Builder {
    private final ChainClient chain;
    private final TrustSettings.Builder trust = TrustSettings.builder();
    private int confirmations = DEFAULT_CONFIRMATIONS;
    private boolean requireFinalized;
    private int finalityDepth = 64;
    private OfflineVerifier offline = OfflineVerifier.create();
    private Duration headTtl = Duration.ZERO;
    private Duration anchorDeadline = Duration.ofHours(1);
    private long logQueryBlockRange = 5_000;
    private Duration historyRecheck = Duration.ofMinutes(10);
    private Clock clock = Clock.systemUTC();

    private Builder(ChainClient chain) {
      this.chain = Objects.requireNonNull(chain, "chain == null");
    }

    /** Takes the chain, contracts and publishers (and confirmations, if named) from {@code settings}. */
    public Builder trust(TrustSettings settings) {
      Objects.requireNonNull(settings, "settings == null");
      trust.chainId(settings.chainId());
      settings.contracts().forEach(trust::trustContract);
      settings.publishers().forEach(trust::trustPublisher);
      if (settings.acceptsAnyPublisher()) {
        trust.insecureAcceptAnyPublisher();
      }
      settings.confirmations().ifPresent(this::confirmations);
      return this;
    }

    /** The chain every trusted anchor must be on (EIP-155 id). Required. */
    public Builder chainId(long chainId) {
      trust.chainId(chainId);
      return this;
    }

    /** Trusts the anchor contract at {@code contract}, deployed in block {@code fromBlock}. At least one is required. */
    public Builder trustContract(EvmAddress contract, long fromBlock) {
      trust.trustContract(contract, fromBlock);
      return this;
    }

    /** Trusts the anchor contract at {@code contract}, searching its history from block 0. */
    public Builder trustContract(EvmAddress contract) {
      trust.trustContract(contract);
      return this;
    }

    /** Counts {@code publisher}'s anchors. At least one is required (or {@link #insecureAcceptAnyPublisher()}). */
    public Builder trustPublisher(EvmAddress publisher) {
      trust.trustPublisher(publisher);
      return this;
    }

    /**
     * Counts <em>anyone's</em> anchors in the trusted contracts — insecure: see
     * {@link TrustSettings.Builder#insecureAcceptAnyPublisher()}. Results then report
     * {@link ProvenanceResult#isVerifiedByTrustedPublisher()} false.
     */
    public Builder insecureAcceptAnyPublisher() {
      trust.insecureAcceptAnyPublisher();
      return this;
    }

    /** Blocks (the anchoring block included) required for {@code VERIFIED}; default {@link ProvenanceVerifier#DEFAULT_CONFIRMATIONS}. */
    public Builder confirmations(int confirmations) {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be at least 1, got " + confirmations);
      }
      this.confirmations = confirmations;
      return this;
    }

    /** Reports {@code VERIFIED} only for anchors in finalized blocks (slower, and immune to any reorganization). */
    public Builder requireFinalized() {
      this.requireFinalized = true;
      return this;
    }

    /** On chains whose nodes have no {@code finalized} block: blocks below the head counted as final; default 64. */
    public Builder finalityDepth(int blocks) {
      if (blocks < 1) {
        throw new IllegalArgumentException("finalityDepth must be at least 1, got " + blocks);
      }
      this.finalityDepth = blocks;
      return this;
    }

    /** The offline checks to run first, e.g. {@code OfflineVerifier.withPolicy(REQUIRE_SENDER_KEY)}; default {@link OfflineVerifier#create()}. */
    public Builder offline(OfflineVerifier offline) {
      this.offline = Objects.requireNonNull(offline, "offline == null");
      return this;
    }

    /**
     * How long one reading of the chain head may serve later verifications; default zero (read it for
     * each). A positive value saves one request per verification of a busy verifier, and lets a
     * reorganization go unnoticed for up to that long.
     */
    public Builder headTtl(Duration headTtl) {
      this.headTtl = nonNegative(headTtl, "headTtl");
      return this;
    }

    /**
     * How long after its checkpoint a sealed batch must be anchored; past that, a sealed proof whose
     * root is not on chain is {@code UNANCHORED_CHECKPOINT}. Default 1 hour.
     */
    public Builder anchorDeadline(Duration anchorDeadline) {
      this.anchorDeadline = nonNegative(anchorDeadline, "anchorDeadline");
      return this;
    }

    /**
     * The widest block range of one {@code eth_getLogs} query when looking up a publisher's anchors;
     * default 5,000 (public endpoints refuse wider ranges or more results; a refused range is halved).
     */
    public Builder logQueryBlockRange(long blocks) {
      if (blocks < 1) {
        throw new IllegalArgumentException("logQueryBlockRange must be at least 1, got " + blocks);
      }
      this.logQueryBlockRange = blocks;
      return this;
    }

    /**
     * How long a publisher's finalized history, once read, is trusted before it is read again; default
     * 10 minutes. Finalized blocks do not change, but an endpoint behind a load balancer can answer a log
     * query from a node that lags: this bounds how long such an incomplete answer can hide an
     * equivocation from a long-lived verifier.
     */
    public Builder historyRecheck(Duration historyRecheck) {
      this.historyRecheck = nonNegative(historyRecheck, "historyRecheck");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    private static Duration nonNegative(Duration value, String name) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + value);
      }
      return value;
    }

    /**
     * Builds the verifier.
     *
     * @throws IllegalStateException if the chain id, a trusted contract or a trusted publisher (or
     *     {@link #insecureAcceptAnyPublisher()}) is missing; the message names what
     */
    public ProvenanceVerifier build() {
      return new ProvenanceVerifier(this);
    }
  }
}
