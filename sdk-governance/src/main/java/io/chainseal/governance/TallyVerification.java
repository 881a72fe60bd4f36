package io.chainseal.governance;

import io.chainseal.anchor.ProvenanceResult;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link TallyVerifier} found.
 *
 * @param status the verdict
 * @param reason what was found, in words (names the first differing vote on a recount mismatch)
 * @param anchor the anchor's provenance verdict, if the verifier got that far
 */
public record TallyVerification(Status status, String reason, Optional<ProvenanceResult> anchor) {
  /** The verdicts. */
  public enum Status {
    /** The recount from the chain's weights equals the transcript, and its root is anchored by a trusted publisher. */
    VERIFIED,
    /** The proposal's signature is not its author's. */
    PROPOSAL_NOT_AUTHENTIC,
    /** The strategy given to the verifier is not the one the proposal names. */
    WRONG_STRATEGY,
    /** Recounting the transcript's votes gives other outcomes, weights or a different result. */
    RECOUNT_DIFFERS,
    /** The transcript's root is not anchored (as far as the chain and the trust settings say). */
    NOT_ANCHORED,
    /** The transcript is anchored, but in a block before voting ended: an interim count, not the result. */
    ANCHORED_BEFORE_END,
    /** The chain could not be asked (weights or the anchor): try again later; nothing was decided. */
    UNAVAILABLE
  }

  public TallyVerification {
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(reason, "reason == null");
    Objects.requireNonNull(anchor, "anchor == null");
  }

  static TallyVerification of(Status status, String reason, @Nullable ProvenanceResult anchor) {
    return new TallyVerification(status, reason, Optional.ofNullable(anchor));
  }

  /** Whether the tally is verified. */
  public boolean isVerified() {
    return status == Status.VERIFIED;
  }
}
