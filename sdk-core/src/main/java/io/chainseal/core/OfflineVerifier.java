package io.chainseal.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks a message against its proof without touching a network: that the envelope and salt give the
 * proof's commitment, that the commitment is in the batch tree with the proof's root, that the
 * signature (if any, or if required) is the named sender's, and that the conversation-log position
 * (if any) holds. Whether the root is on chain is sdk-anchor's {@code ProvenanceVerifier}'s job.
 *
 * <p>Never throws on hostile input: every failure is a {@link VerificationResult} with a reason.
 * Stateless and thread-safe; share one instance.
 *
 * <pre>{@code
 * VerificationResult result = OfflineVerifier.create().verify(envelope, salt, proof);
 * if (!result.isVerified()) showBadge(result.status(), result.reason());
 * }</pre>
 */
public final class OfflineVerifier {
  private final boolean requireSignature;

  private OfflineVerifier(boolean requireSignature) {
    this.requireSignature = requireSignature;
  }

  /** A verifier that checks signatures when present, and does not require them. */
  public static OfflineVerifier create() {
    return new OfflineVerifier(false);
  }

  /** A verifier that reports {@link VerificationStatus#BAD_SIGNATURE} for unsigned proofs too. */
  public static OfflineVerifier requiringSignatures() {
    return new OfflineVerifier(true);
  }

  /** Verifies {@code envelope} with {@code salt} against {@code proof}. */
  public VerificationResult verify(@Nullable MessageEnvelope envelope, @Nullable Salt salt, @Nullable MessageProof proof) {
    if (envelope == null || salt == null || proof == null) {
      return VerificationResult.of(VerificationStatus.BAD_PROOF, "missing envelope, salt or proof");
    }
    try {
      return check(envelope, salt, proof);
    } catch (RuntimeException e) {
      // Defence in depth: a verifier must give a verdict, never an unchecked exception.
      return VerificationResult.of(VerificationStatus.BAD_PROOF, "proof could not be checked (" + e.getClass().getSimpleName() + ")");
    }
  }

  private VerificationResult check(MessageEnvelope envelope, Salt salt, MessageProof proof) {
    if (proof.hashAlgorithm() != HashAlgorithm.SHA_256) {
      return VerificationResult.of(VerificationStatus.BAD_PROOF, "unsupported hash algorithm " + proof.hashAlgorithm());
    }
    Hash32 computed = envelope.commit(salt);
    if (!computed.equals(proof.commitment())) {
      return VerificationResult.of(VerificationStatus.TAMPERED, "commitment mismatch: the message and salt give " + computed
          + ", the proof is for " + proof.commitment() + " (message or salt changed, or the proof is another message's)");
    }
    ProofCheck inclusion = MerkleVerifier.verifyInclusion(proof.commitment(), proof.inclusion(), proof.root());
    if (!inclusion.valid()) {
      return VerificationResult.of(VerificationStatus.BAD_PROOF, "batch inclusion proof fails: " + inclusion.reason());
    }
    Optional<MessageSignature> signature = proof.signature();
    if (signature.isPresent()) {
      SignatureCheck check = SignatureVerifier.verify(proof.commitment(), signature.get());
      if (!check.valid()) {
        return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, check.reason());
      }
      Optional<SignerId> named = envelope.senderKey();
      if (named.isPresent() && !named.get().equals(signature.get().signer())) {
        return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "signed by " + signature.get().signer()
            + ", but the message names sender key " + named.get());
      }
    } else if (requireSignature) {
      return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "the proof carries no signature");
    }
    if (proof.checkpoint().isPresent()) {
      SignedCheckpoint signed = proof.checkpoint().get();
      SignatureCheck check = signed.verifySignature();
      if (!check.valid()) {
        return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "checkpoint: " + check.reason());
      }
      Checkpoint checkpoint = signed.checkpoint();
      if (!checkpoint.root().equals(proof.root()) || checkpoint.treeSize() != proof.inclusion().treeSize()) {
        return VerificationResult.of(VerificationStatus.BAD_PROOF, "the checkpoint is for root " + checkpoint.root() + " of "
            + checkpoint.treeSize() + " messages, the proof for root " + proof.root() + " of " + proof.inclusion().treeSize());
      }
      if (proof.anchor().isPresent() && (proof.anchor().get().chainId() != checkpoint.chainId()
          || !proof.anchor().get().contract().equals(checkpoint.contract()))) {
        return VerificationResult.of(VerificationStatus.BAD_PROOF, "the checkpoint promises chain " + checkpoint.chainId()
            + " contract " + checkpoint.contract() + ", the anchor is elsewhere");
      }
    }
    if (proof.conversation().isPresent()) {
      LogPosition position = proof.conversation().get();
      ProofCheck inLog = MerkleVerifier.verifyInclusion(proof.commitment(), position.proof(), position.root());
      if (!inLog.valid()) {
        return VerificationResult.of(VerificationStatus.BAD_PROOF, "conversation log proof fails: " + inLog.reason());
      }
    }
    String signed = signature.map(s -> ", signed by " + s.signer()).orElse(", unsigned");
    String position = proof.conversation().map(p -> ", message " + p.index() + " of its conversation").orElse("");
    return VerificationResult.of(VerificationStatus.VERIFIED_OFFLINE, "leaf " + proof.inclusion().leafIndex() + " of "
        + proof.inclusion().treeSize() + " under root " + proof.root() + signed + position);
  }
}
