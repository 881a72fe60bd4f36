package io.chainseal.core;

import java.util.Objects;

/**
 * A {@link Checkpoint} with its publisher's signature (EIP-191 over {@link Checkpoint#digest()}).
 *
 * @param checkpoint the statement
 * @param signature the publisher's signature over its digest
 */
public record SignedCheckpoint(Checkpoint checkpoint, MessageSignature signature) {
  public SignedCheckpoint {
    Objects.requireNonNull(checkpoint, "checkpoint == null");
    Objects.requireNonNull(signature, "signature == null");
  }

  /** Checks that the publisher named in the checkpoint signed it. Never throws. */
  public SignatureCheck verifySignature() {
    if (signature.scheme() != SignatureScheme.SECP256K1_EIP191
        || !signature.signer().address().equals(checkpoint.publisher())) {
      return SignatureCheck.fail("checkpoint is signed by " + signature.signer() + ", not by its publisher "
          + checkpoint.publisher());
    }
    return SignatureVerifier.verify(checkpoint.digest(), signature);
  }

  /**
   * Compares two checkpoints: if both are validly signed by the same publisher for the same chain,
   * contract and sequence number but name different roots or sizes, the publisher equivocated, and
   * the pair is the evidence. Otherwise the result says why they do not conflict.
   */
  public static VerificationResult compare(SignedCheckpoint a, SignedCheckpoint b) {
    Objects.requireNonNull(a, "a == null");
    Objects.requireNonNull(b, "b == null");
    SignatureCheck first = a.verifySignature();
    if (!first.valid()) {
      return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "first checkpoint: " + first.reason());
    }
    SignatureCheck second = b.verifySignature();
    if (!second.valid()) {
      return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "second checkpoint: " + second.reason());
    }
    Checkpoint x = a.checkpoint();
    Checkpoint y = b.checkpoint();
    if (x.chainId() != y.chainId() || !x.contract().equals(y.contract()) || !x.publisher().equals(y.publisher())
        || x.sequence() != y.sequence()) {
      return VerificationResult.of(VerificationStatus.VERIFIED_OFFLINE, "the checkpoints are for different batches");
    }
    if (!x.root().equals(y.root()) || x.treeSize() != y.treeSize()) {
      return VerificationResult.of(VerificationStatus.EQUIVOCATION, "publisher " + x.publisher() + " signed two different"
          + " batches numbered " + x.sequence() + ": root " + x.root() + " (" + x.treeSize() + " messages) and root "
          + y.root() + " (" + y.treeSize() + " messages)");
    }
    return VerificationResult.of(VerificationStatus.VERIFIED_OFFLINE, "the checkpoints agree");
  }
}
