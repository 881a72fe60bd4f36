package io.chainseal.core;

import io.chainseal.core.internal.Keccak;
import io.chainseal.core.internal.Secp256k1;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A private signing key held in memory: secp256k1 (EIP-191) or Ed25519. It signs message
 * commitments as a {@link Signer}.
 *
 * <p>Security: the secret never appears in {@link #toString()}, logs or exception messages; it can
 * only be read with {@link #exportSecretBytes()}, which is easy to find in a code review.
 * {@link #destroy()} zeroes the secret; a destroyed key refuses to sign. Thread-safe.
 */
public final class SigningKey implements Signer, AutoCloseable {
  static final byte[] EIP191_PREFIX = "\u0019Ethereum Signed Message:\n32".getBytes(StandardCharsets.US_ASCII);
  static final byte[] ED25519_DOMAIN = "CHAINSEAL/SIGNATURE/V1\n".getBytes(StandardCharsets.US_ASCII);

  private final SignatureScheme scheme;
  private final byte[] secret;
  private final SignerId id;
  private volatile boolean destroyed;

  private SigningKey(SignatureScheme scheme, byte[] secret) {
    this.scheme = scheme;
    this.secret = secret;
    this.id = scheme == SignatureScheme.SECP256K1_EIP191
        ? SignerId.ofAddress(EvmAddress.of(Secp256k1.address(Secp256k1.publicKey(secret))))
        : SignerId.ofEd25519(new Ed25519PrivateKeyParameters(secret, 0).generatePublicKey().getEncoded());
  }

  /**
   * A secp256k1 key from its 32-byte secret (copied; zero your copy afterwards).
   *
   * @throws IllegalArgumentException if the bytes are not a valid secp256k1 private key (the message
   *     does not include them)
   */
  public static SigningKey secp256k1(byte[] secret) {
    Objects.requireNonNull(secret, "secret == null");
    if (!Secp256k1.isValidPrivateKey(secret)) {
      throw new IllegalArgumentException("not a valid secp256k1 private key (need 32 bytes in [1, n-1])");
    }
    return new SigningKey(SignatureScheme.SECP256K1_EIP191, secret.clone());
  }

  /** An Ed25519 key from its 32-byte seed (copied; zero your copy afterwards). */
  public static SigningKey ed25519(byte[] seed) {
    Objects.requireNonNull(seed, "seed == null");
    if (seed.length != 32) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    return new SigningKey(SignatureScheme.ED25519, seed.clone());
  }

  /** A fresh random key of {@code scheme}. */
  public static SigningKey generate(SignatureScheme scheme, SecureRandom random) {
    byte[] secret = new byte[32];
    try {
      do {
        random.nextBytes(secret);
      } while (scheme == SignatureScheme.SECP256K1_EIP191 && !Secp256k1.isValidPrivateKey(secret));
      return scheme == SignatureScheme.SECP256K1_EIP191 ? secp256k1(secret) : ed25519(secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  @Override
  public SignerId id() {
    return id;
  }

  public SignatureScheme scheme() {
    return scheme;
  }

  @Override
  public MessageSignature sign(Hash32 commitment) {
    Objects.requireNonNull(commitment, "commitment == null");
    if (destroyed) {
      throw new IllegalStateException("signing key was destroyed");
    }
    if (scheme == SignatureScheme.SECP256K1_EIP191) {
      byte[] digest = Keccak.keccak256(EIP191_PREFIX, commitment.bytes());
      return MessageSignature.of(id, Secp256k1.sign(secret, digest));
    }
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(secret, 0));
    signer.update(ED25519_DOMAIN, 0, ED25519_DOMAIN.length);
    byte[] message = commitment.bytes();
    signer.update(message, 0, message.length);
    return MessageSignature.of(id, signer.generateSignature());
  }

  /** A copy of the secret bytes. Every call site of this method handles key material. */
  public byte[] exportSecretBytes() {
    if (destroyed) {
      throw new IllegalStateException("signing key was destroyed");
    }
    return secret.clone();
  }

  /** Zeroes the secret. Idempotent. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(secret, (byte) 0);
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  /** Same as {@link #destroy()}. */
  @Override
  public void close() {
    destroy();
  }

  /** Scheme and public identity only. */
  @Override
  public String toString() {
    return "SigningKey[" + id + (destroyed ? ", destroyed" : "") + "]";
  }
}
