package io.chainseal.anchor;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.VerificationException;
import io.chainseal.core.VerificationResult;
import io.chainseal.core.VerificationStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The verdict of a {@link ProvenanceVerifier}: a status and reason, and — when the anchor was found —
 * the block, the block time by which the message existed, the publisher and the confirmations.
 */
public final class ProvenanceResult {
  private final VerificationResult verdict;
  private final long blockNumber;
  private final @Nullable Instant existedBy;
  private final @Nullable EvmAddress publisher;
  private final long confirmations;

  ProvenanceResult(VerificationResult verdict, long blockNumber, @Nullable Instant existedBy,
      @Nullable EvmAddress publisher, long confirmations) {
    this.verdict = Objects.requireNonNull(verdict, "verdict == null");
    this.blockNumber = blockNumber;
    this.existedBy = existedBy;
    this.publisher = publisher;
    this.confirmations = confirmations;
  }

  static ProvenanceResult of(VerificationStatus status, String reason) {
    return new ProvenanceResult(VerificationResult.of(status, reason), -1, null, null, 0);
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

  /** The block that includes the anchor, when it was found. */
  public OptionalLong blockNumber() {
    return blockNumber < 0 ? OptionalLong.empty() : OptionalLong.of(blockNumber);
  }

  /** The anchoring block's timestamp: the message existed by then. */
  public Optional<Instant> existedBy() {
    return Optional.ofNullable(existedBy);
  }

  /** Who anchored the batch root. */
  public Optional<EvmAddress> publisher() {
    return Optional.ofNullable(publisher);
  }

  public long confirmations() {
    return confirmations;
  }

  /** @throws VerificationException unless {@link #isVerified()} */
  public ProvenanceResult orThrow() throws VerificationException {
    if (!isVerified()) {
      throw new VerificationException(verdict.status(), verdict.reason());
    }
    return this;
  }

  @Override
  public String toString() {
    return verdict + (blockNumber >= 0 ? " [block " + blockNumber + ", " + existedBy + ", publisher " + publisher + "]" : "");
  }
}
