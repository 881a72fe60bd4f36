package io.chainseal.governance;

import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.chain.ChainException;
import io.chainseal.core.MessageProof;
import io.chainseal.core.VerificationStatus;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Recomputes a tally from its {@link TallyTranscript} and the chain, and confirms its anchor:
 * <ol>
 *   <li>the proposal's signature is its author's;
 *   <li>the weight strategy given is the one the proposal names;
 *   <li>recounting every vote in the transcript — signatures, rules, weights read from the chain at the
 *       snapshot block — gives the transcript's outcomes, weights and result exactly;
 *   <li>the transcript's root is in a message anchored by a publisher the {@link ProvenanceVerifier}
 *       trusts (its trust settings: chain, contract, publishers), in a block no earlier than the end of
 *       voting (an earlier anchor is an interim count).
 * </ol>
 * What it cannot show: that the transcript holds every vote the operator received. A voter checks
 * that their own vote is in it ({@link TallyTranscript#entries()}); an operator who anchors two
 * transcripts for one proposal has signed both, and either one shows it.
 * A vote changed, dropped or added in the transcript changes the recount or the root, and the verdict
 * is not VERIFIED. Never throws for bad input: every problem is a verdict. Thread-safe.
 */
public final class TallyVerifier {
  private final ProvenanceVerifier anchors;

  private TallyVerifier(ProvenanceVerifier anchors) {
    this.anchors = Objects.requireNonNull(anchors, "anchors == null");
  }

  /** A verifier that confirms anchors with {@code anchors} (and so trusts what it trusts). */
  public static TallyVerifier of(ProvenanceVerifier anchors) {
    return new TallyVerifier(anchors);
  }

  /**
   * Verifies {@code transcript}, recounting with {@code weights}, and its anchor {@code proof} (the
   * proof of {@link TallyTranscript#envelope()}).
   */
  public TallyVerification verify(@Nullable TallyTranscript transcript, @Nullable WeightStrategy weights, @Nullable MessageProof proof) {
    if (transcript == null || weights == null || proof == null) {
      return TallyVerification.of(TallyVerification.Status.NOT_ANCHORED, "no " + (transcript == null ? "transcript"
          : weights == null ? "weight strategy" : "anchor proof") + " given", null);
    }
    try {
      return check(transcript, weights, proof);
    } catch (ChainException e) {
      return TallyVerification.of(TallyVerification.Status.UNAVAILABLE, "the chain could not be asked: " + e.getMessage(), null);
    } catch (IllegalArgumentException e) {
      // Votes or entries the recount refuses: a transcript that does not recount.
      return TallyVerification.of(TallyVerification.Status.RECOUNT_DIFFERS, "the transcript cannot be recounted: " + e.getMessage(), null);
    } catch (RuntimeException e) {
      // A strategy that fails in some other way: nothing was decided about the transcript.
      return TallyVerification.of(TallyVerification.Status.UNAVAILABLE, "the recount failed: " + e, null);
    }
  }

  private TallyVerification check(TallyTranscript transcript, WeightStrategy weights, MessageProof proof) {
    Proposal proposal = transcript.proposal().proposal();
    if (!transcript.proposal().isAuthentic()) {
      return TallyVerification.of(TallyVerification.Status.PROPOSAL_NOT_AUTHENTIC,
          "the proposal's signature is not its author's (" + proposal.author() + ")", null);
    }
    if (!weights.id().equals(proposal.weights())) {
      return TallyVerification.of(TallyVerification.Status.WRONG_STRATEGY,
          "the proposal is weighed by " + proposal.weights() + ", the verifier was given " + weights.id(), null);
    }
    TallyTranscript recount = TallyTranscript.of(transcript.proposal(), VoteCount.count(proposal, transcript.votes(), weights));
    Optional<String> difference = transcript.firstDifference(recount);
    if (difference.isPresent()) {
      return TallyVerification.of(TallyVerification.Status.RECOUNT_DIFFERS, "the recount differs from the transcript at "
          + difference.get(), null);
    }
    ProvenanceResult anchored = anchors.verify(transcript.envelope(), transcript.salt(), proof);
    if (anchored.status() == VerificationStatus.UNAVAILABLE) {
      return TallyVerification.of(TallyVerification.Status.UNAVAILABLE, "the anchor could not be checked: " + anchored.reason(), anchored);
    }
    if (!anchored.isVerifiedByTrustedPublisher()) {
      return TallyVerification.of(TallyVerification.Status.NOT_ANCHORED, "the transcript's root " + transcript.root().hex()
          + " is not anchored by a trusted publisher: " + anchored.status() + ", " + anchored.reason(), anchored);
    }
    java.util.Optional<java.time.Instant> anchoredAt = anchored.existedBy();
    if (anchoredAt.isEmpty() || anchoredAt.get().isBefore(proposal.end())) {
      return TallyVerification.of(TallyVerification.Status.ANCHORED_BEFORE_END, "the transcript was anchored "
          + anchoredAt.map(t -> "at " + t).orElse("at an unknown time") + ", before voting ended at " + proposal.end()
          + ": an interim count", anchored);
    }
    return TallyVerification.of(TallyVerification.Status.VERIFIED, transcript.entries().size() + " votes recounted ("
        + recount.entries().stream().filter(TallyTranscript.Entry::counted).count() + " counted), winners " + transcript.result().winners()
        + ", anchored by " + anchored.anchor().map(Object::toString).orElse("?"), anchored);
  }
}
