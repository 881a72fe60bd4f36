package io.chainseal.anchor;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.SenderBinding;
import io.chainseal.core.SignerId;
import io.chainseal.core.VerificationException;
import io.chainseal.core.VerificationResult;
import io.chainseal.core.VerificationStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The verdict of a {@link ProvenanceVerifier}: a status and reason; what the signature says about the
 * sender ({@link #senderBinding()}); and — when the anchor was found — where it is, the block time by
 * which the message existed, the publisher, the confirmations, and for a verdict against the operator
 * the anchors that prove it ({@link #evidence()}). Immutable.
 */
public final class ProvenanceResult {
  private final VerificationResult verdict;
  private final @Nullable AnchorReference anchor;
  private final @Nullable Instant existedBy;
  private final @Nullable EvmAddress publisher;
  private final boolean publisherTrusted;
  private final long confirmations;
  private final boolean finalized;
  private final List<AnchorEvidence> evidence;

  private ProvenanceResult(VerificationResult verdict, @Nullable AnchorReference anchor, @Nullable Instant existedBy,
      @Nullable EvmAddress publisher, boolean publisherTrusted, long confirmations, boolean finalized,
      List<AnchorEvidence> evidence) {
    this.verdict = Objects.requireNonNull(verdict, "verdict == null");
    this.anchor = anchor;
    this.existedBy = existedBy;
    this.publisher = publisher;
    this.publisherTrusted = publisherTrusted;
    this.confirmations = confirmations;
    this.finalized = finalized;
    this.evidence = List.copyOf(evidence);
  }

  /** A verdict reached before anything was found on chain. */
  static ProvenanceResult of(VerificationResult verdict) {
    return new ProvenanceResult(verdict, null, null, null, false, 0, false, List.of());
  }

  /** A verdict about the anchor {@code anchor} of {@code publisher}. */
  static ProvenanceResult of(VerificationResult verdict, @Nullable AnchorReference anchor, @Nullable Instant existedBy,
      @Nullable EvmAddress publisher, boolean publisherTrusted, long confirmations, boolean finalized) {
    return new ProvenanceResult(verdict, anchor, existedBy, publisher, publisherTrusted, confirmations, finalized, List.of());
  }

  /** A verdict against {@code publisher}, with the anchors that prove it. */
  static ProvenanceResult against(VerificationResult verdict, EvmAddress publisher, boolean publisherTrusted,
      List<AnchorEvidence> evidence) {
    return new ProvenanceResult(verdict, null, null, publisher, publisherTrusted, 0, false, evidence);
  }

  public VerificationStatus status() {
    return verdict.status();
  }

  public String reason() {
    return verdict.reason();
  }

  public VerificationResult verdict() {
    return verdict;
  }

  /** Only {@link VerificationStatus#VERIFIED} counts here: the chain was checked. */
  public boolean isVerified() {
    return verdict.status() == VerificationStatus.VERIFIED;
  }

  /**
   * {@code VERIFIED} by a publisher the verifier was told to trust by name — not merely accepted under
   * {@link TrustSettings.Builder#insecureAcceptAnyPublisher()}.
   */
  public boolean isVerifiedByTrustedPublisher() {
    return isVerified() && publisherTrusted;
  }

  /** Whether the signature binds the message to its sender; empty if it was not reached (or for an erased message). */
  public Optional<SenderBinding> senderBinding() {
    return verdict.senderBinding();
  }

  /** The key that signed the message, if it was signed. */
  public Optional<SignerId> signer() {
    return verdict.signer();
  }

  /**
   * The anchor that was checked: the proof's own, or for a sealed proof the anchor found on chain for
   * its checkpoint (give it to {@code proof.toBuilder().anchor(...)} to upgrade the proof).
   */
  public Optional<AnchorReference> anchor() {
    return Optional.ofNullable(anchor);
  }

  /** The block that includes the anchor, when it was found. */
  public OptionalLong blockNumber() {
    return anchor == null ? OptionalLong.empty() : OptionalLong.of(anchor.blockNumber());
  }

  /** The anchoring block's timestamp (or a sealed proof's checkpoint time): the message existed by then. */
  public Optional<Instant> existedBy() {
    return Optional.ofNullable(existedBy);
  }

  /** Who anchored (or sealed) the batch. */
  public Optional<EvmAddress> publisher() {
    return Optional.ofNullable(publisher);
  }

  /** Blocks on top of and including the anchoring block when it was checked. */
  public long confirmations() {
    return confirmations;
  }

  /** Whether the anchoring block was at or below the chain's finalized block when it was checked. */
  public boolean finalized() {
    return finalized;
  }

  /** For {@code EQUIVOCATION} and {@code BROKEN_HISTORY}: the conflicting anchors; otherwise empty. */
  public List<AnchorEvidence> evidence() {
    return evidence;
  }

  /**
   * This result, if verified.
   *
   * @throws VerificationException unless {@link #isVerified()}
   */
  public ProvenanceResult orThrow() throws VerificationException {
    if (!isVerified()) {
      throw new VerificationException(verdict.status(), verdict.reason());
    }
    return this;
  }

  @Override
  public String toString() {
    return verdict + (anchor != null ? " [block " + anchor.blockNumber() + ", " + existedBy + ", publisher " + publisher + "]" : "");
  }
}
