package io.chainseal.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a message against its proof without touching a network, in the order of
 * {@code docs/proof-format.md} §9: the hash algorithm, that the envelope and salt give the proof's
 * commitment, that the commitment is in the batch tree with the proof's root, that the operator's
 * checkpoint (if any) is signed by its publisher and names this batch, that the sender's signature (if
 * any) is valid and by the key the envelope declares, and that the conversation-log path (if any)
 * leads to its root. Whether the root is on chain is sdk-anchor's {@code ProvenanceVerifier}'s job;
 * it runs these same checks first.
 *
 * <p><b>Security guarantees.</b> {@link VerificationStatus#VERIFIED_OFFLINE} means: the proof is
 * internally consistent and belongs to this message. It does not mean that anyone anchored it, and
 * the conversation-log root it checks against comes from the proof itself (compare it with a root you
 * trust). Every result states the {@link SenderBinding}: only {@link SenderBinding#SENDER_KEY} says
 * that the sender signed; use {@link SignaturePolicy#REQUIRE_SENDER_KEY} to demand it.
 *
 * <p>Never throws on hostile input: every failure is a {@link VerificationResult} with a reason. A bug
 * inside the verifier is logged and reported as {@link VerificationStatus#VERIFIER_ERROR}, never as a
 * verdict on the proof. Stateless and thread-safe; share one instance.
 *
 * <pre>{@code
 * VerificationResult result = OfflineVerifier.create().verify(envelope, salt, proof);
 * if (!result.isVerified()) showBadge(result.status(), result.reason());
 * }</pre>
 */
public final class OfflineVerifier {
  private static final Logger log = LoggerFactory.getLogger(OfflineVerifier.class);

  private final SignaturePolicy policy;

  private OfflineVerifier(SignaturePolicy policy) {
    this.policy = policy;
  }

  /** A verifier that checks signatures when present and does not require them ({@link SignaturePolicy#OPTIONAL}). */
  public static OfflineVerifier create() {
    return new OfflineVerifier(SignaturePolicy.OPTIONAL);
  }

  /** A verifier that reports {@link VerificationStatus#BAD_SIGNATURE} for unsigned proofs ({@link SignaturePolicy#REQUIRE_SIGNED}). */
  public static OfflineVerifier requiringSignatures() {
    return new OfflineVerifier(SignaturePolicy.REQUIRE_SIGNED);
  }

  /** A verifier with the given signature policy. */
  public static OfflineVerifier withPolicy(SignaturePolicy policy) {
    return new OfflineVerifier(Objects.requireNonNull(policy, "policy == null"));
  }

  public SignaturePolicy policy() {
    return policy;
  }

  /** Verifies {@code envelope} with {@code salt} against {@code proof}. */
  public VerificationResult verify(@Nullable MessageEnvelope envelope, @Nullable Salt salt, @Nullable MessageProof proof) {
    if (envelope == null || salt == null || proof == null) {
      return VerificationResult.of(VerificationStatus.BAD_PROOF, "missing envelope, salt or proof");
    }
    try {
      return check(envelope, salt, proof);
    } catch (RuntimeException e) {
      return verifierError(e);
    }
  }

  /**
   * Verifies what remains of an <em>erased</em> message — its proof, without content or salt: every
   * check of {@link #verify} that does not need the message (batch path, checkpoint, signature validity,
   * conversation path). {@code VERIFIED_OFFLINE} here says that <em>a</em> message with this commitment
   * is in the batch, and nothing about what it said or who wrote it ({@link VerificationResult#senderBinding()}
   * is empty: without the envelope nothing names a sender).
   */
  public VerificationResult verifyErased(@Nullable MessageProof proof) {
    if (proof == null) {
      return VerificationResult.of(VerificationStatus.BAD_PROOF, "missing proof");
    }
    try {
      VerificationResult failed = checkHashAlgorithm(proof);
      if (failed == null) {
        failed = checkStructure(proof);
      }
      return failed != null ? failed : VerificationResult.of(VerificationStatus.VERIFIED_OFFLINE, "a message (erased)"
          + " is leaf " + proof.inclusion().leafIndex() + " of " + proof.inclusion().treeSize() + " under root " + proof.root()
          + proof.signature().map(s -> "; its proof still carries a signature by " + s.signer()
              + " (reduce it with MessageProof.redactedForErasure())").orElse(""));
    } catch (RuntimeException e) {
      return verifierError(e);
    }
  }

  /** Logs a verifier bug and turns it into a verdict that cannot be mistaken for one on the proof. */
  static VerificationResult verifierError(RuntimeException e) {
    log.error("Chainseal verifier bug (this is not a verdict on the proof; please report it)", e);
    return VerificationResult.of(VerificationStatus.VERIFIER_ERROR, "the verifier failed (" + e.getClass().getSimpleName()
        + "); this says nothing about the proof; the error is logged");
  }

  private VerificationResult check(MessageEnvelope envelope, Salt salt, MessageProof proof) {
    VerificationResult failed = checkHashAlgorithm(proof);
    if (failed != null) {
      return failed;
    }
    Hash32 computed = envelope.commit(salt);
    if (!computed.equals(proof.commitment())) {
      return VerificationResult.of(VerificationStatus.TAMPERED, "commitment mismatch: the message and salt give " + computed
          + ", the proof is for " + proof.commitment() + " (message or salt changed, or the proof is another message's)");
    }
    failed = checkStructure(proof);
    if (failed != null) {
      return failed;
    }
    Optional<MessageSignature> signature = proof.signature();
    Optional<SignerId> declared = envelope.senderKey();
    SignerId signer = signature.map(MessageSignature::signer).orElse(null);
    SenderBinding binding;
    if (signer == null) {
      binding = SenderBinding.UNSIGNED;
    } else if (declared.isEmpty()) {
      binding = SenderBinding.UNDECLARED_KEY;
    } else if (declared.get().equals(signer)) {
      binding = SenderBinding.SENDER_KEY;
    } else {
      return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "signed by " + signer
          + ", but the message names sender key " + declared.get(), SenderBinding.WRONG_KEY, signer);
    }
    if (binding == SenderBinding.UNSIGNED && policy != SignaturePolicy.OPTIONAL) {
      return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "the proof carries no signature, and this verifier"
          + " requires one", binding, null);
    }
    if (binding == SenderBinding.UNDECLARED_KEY && policy == SignaturePolicy.REQUIRE_SENDER_KEY) {
      return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "signed by " + signer + ", but the message declares"
          + " no sender key, so nothing ties the signature to sender " + envelope.senderId(), binding, signer);
    }
    String signed = switch (binding) {
      case SENDER_KEY -> ", signed by the sender's declared key " + signer;
      case UNDECLARED_KEY -> ", signed by " + signer + " (a key the message does not declare for its sender)";
      default -> ", unsigned";
    };
    String position = proof.conversation().map(p -> ", position " + p.index() + " of " + p.proof().treeSize()
        + " in a conversation log with root " + p.root() + " (compare that root with one you trust)").orElse("");
    return VerificationResult.of(VerificationStatus.VERIFIED_OFFLINE, "leaf " + proof.inclusion().leafIndex() + " of "
        + proof.inclusion().treeSize() + " under root " + proof.root() + signed + position, binding, signer);
  }

  private static @Nullable VerificationResult checkHashAlgorithm(MessageProof proof) {
    if (proof.hashAlgorithm() != HashAlgorithm.SHA_256) {
      return VerificationResult.of(VerificationStatus.BAD_PROOF, "unsupported hash algorithm " + proof.hashAlgorithm());
    }
    return null;
  }

  /**
   * The checks every path shares — a message's proof, an erased message's proof, a sealed proof:
   * the batch path leads to the root; the checkpoint (if any) is signed by its publisher and names
   * this root, tree size and (with an anchor) this chain and contract; the signature (if any) is valid
   * over the commitment; the conversation path (if any) leads to its root.
   *
   * @return null if they all hold, otherwise the failing verdict
   */
  static @Nullable VerificationResult checkStructure(MessageProof proof) {
    ProofCheck inclusion = MerkleVerifier.verifyInclusion(proof.commitment(), proof.inclusion(), proof.root());
    if (!inclusion.valid()) {
      return VerificationResult.of(VerificationStatus.BAD_PROOF, "batch inclusion proof fails: " + inclusion.reason());
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
            + " contract " + checkpoint.contract() + ", the anchor is on chain " + proof.anchor().get().chainId()
            + " contract " + proof.anchor().get().contract());
      }
    }
    if (proof.signature().isPresent()) {
      SignatureCheck check = SignatureVerifier.verify(proof.commitment(), proof.signature().get());
      if (!check.valid()) {
        return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, check.reason());
      }
    }
    if (proof.conversation().isPresent()) {
      LogPosition position = proof.conversation().get();
      ProofCheck inLog = MerkleVerifier.verifyInclusion(proof.commitment(), position.proof(), position.root());
      if (!inLog.valid()) {
        return VerificationResult.of(VerificationStatus.BAD_PROOF, "conversation log proof fails: " + inLog.reason());
      }
    }
    return null;
  }
}
