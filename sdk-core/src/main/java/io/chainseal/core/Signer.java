package io.chainseal.core;

/**
 * Signs message commitments. Implement it to keep keys in an HSM, a KMS or a wallet; use
 * {@link SigningKey} for a key held in memory. Implementations must be thread-safe.
 */
public interface Signer {
  /** Who this signer is, as verifiers will see it. */
  SignerId id();

  /** Signs {@code commitment} under {@link #id()}'s scheme. */
  MessageSignature sign(Hash32 commitment);
}
