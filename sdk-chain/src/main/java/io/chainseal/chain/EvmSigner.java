package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.internal.Secp256k1;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Ethereum account's key, wherever it lives: it signs 32-byte digests (of transactions, of EIP-712
 * typed data) with secp256k1. Implement it to keep keys in an HSM, a KMS or a remote signer; use
 * {@link #of(SigningKey)} (or the wallet's keys) for a key held in memory.
 *
 * <p>Callers never trust what an implementation returns: every signature is checked to recover to
 * {@link #address()} before it is used, and one that does not is refused with a {@link SignerException}.
 * Implementations must be thread-safe, and must keep key material out of {@code toString}, log lines
 * and exception messages.
 */
public interface EvmSigner {
  /** The account whose key signs. */
  EvmAddress address();

  /**
   * Signs {@code digest} as it is (no prefix is added, no hashing is done).
   *
   * @throws SignerException if the key cannot sign now (a remote signer unreachable, a key destroyed)
   */
  EcdsaSignature signDigest(Hash32 digest);

  /**
   * Signs {@code digest} and checks that the signature recovers to {@link #address()}, with low s.
   *
   * @throws SignerException if the signer fails or returns a signature of another key
   */
  default EcdsaSignature signChecked(Hash32 digest) {
    EcdsaSignature signature = Objects.requireNonNull(signDigest(digest), "signer returned null").normalized();
    if (!signature.recover(digest).map(address()::equals).orElse(false)) {
      throw new SignerException("the signer of " + address() + " returned a signature that does not recover to it");
    }
    return signature;
  }

  /** A signer over an in-memory secp256k1 key. The key stays the caller's: destroying it stops the signer. */
  static EvmSigner of(SigningKey key) {
    Objects.requireNonNull(key, "key == null");
    if (key.scheme() != SignatureScheme.SECP256K1_EIP191) {
      throw new IllegalArgumentException("an Ethereum account needs a secp256k1 key, got " + key.scheme().id());
    }
    EvmAddress address = key.id().address();
    return new EvmSigner() {
      @Override
      public EvmAddress address() {
        return address;
      }

      @Override
      public EcdsaSignature signDigest(Hash32 digest) {
        if (key.isDestroyed()) {
          throw new SignerException("the key of " + address + " was destroyed");
        }
        byte[] secret = key.exportSecretBytes();
        try {
          return EcdsaSignature.of(Secp256k1.sign(secret, digest.bytes()));
        } finally {
          Arrays.fill(secret, (byte) 0);
        }
      }

      @Override
      public String toString() {
        return "EvmSigner[" + address + "]";
      }
    };
  }
}
