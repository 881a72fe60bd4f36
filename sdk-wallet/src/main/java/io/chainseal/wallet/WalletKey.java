package io.chainseal.wallet;

import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.SignerException;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Ethereum account's secp256k1 key held in memory: derived from a mnemonic
 * ({@link HdWallet#account(int)}), unlocked from a keystore ({@link Keystore#load}), or given as raw
 * bytes. It signs transactions and typed data as an {@link EvmSigner}, and chat messages through
 * {@link #messageSigner()}. {@link #close()} wipes the key. {@code toString} shows the address only.
 * Thread-safe.
 */
public final class WalletKey implements EvmSigner, AutoCloseable {
  private final SigningKey key;
  private final EvmSigner signer;
  private final EvmAddress address;

  private WalletKey(SigningKey key) {
    this.key = key;
    this.signer = EvmSigner.of(key);
    this.address = signer.address();
  }

  /**
   * A key from its 32 secret bytes (the caller should wipe its copy).
   *
   * @throws WalletKeyException ({@link WalletKeyException.Reason#INVALID_KEY}) if the bytes are not a valid secp256k1 key
   */
  public static WalletKey ofSecret(byte[] secret) throws WalletKeyException {
    Objects.requireNonNull(secret, "secret == null");
    if (secret.length != 32) {
      throw new WalletKeyException(WalletKeyException.Reason.INVALID_KEY, "a private key has 32 bytes, got " + secret.length);
    }
    try {
      return new WalletKey(SigningKey.secp256k1(secret));
    } catch (IllegalArgumentException e) {
      throw new WalletKeyException(WalletKeyException.Reason.INVALID_KEY, "the private key is out of the curve's range");
    }
  }

  static WalletKey ofPrivateKey(BigInteger privateKey) throws WalletKeyException {
    if (privateKey.signum() <= 0 || privateKey.bitLength() > 256) {
      throw new WalletKeyException(WalletKeyException.Reason.INVALID_KEY, "the private key is out of the curve's range");
    }
    byte[] secret = new byte[32];
    byte[] raw = privateKey.toByteArray();
    int start = raw.length > 32 ? raw.length - 32 : 0;
    System.arraycopy(raw, start, secret, 32 - (raw.length - start), raw.length - start);
    Arrays.fill(raw, (byte) 0);
    try {
      return ofSecret(secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  @Override
  public EvmAddress address() {
    return address;
  }

  /** @throws SignerException if the key was closed */
  @Override
  public EcdsaSignature signDigest(Hash32 digest) {
    return signer.signDigest(Objects.requireNonNull(digest, "digest == null"));
  }

  /**
   * The same key as a signer of chat messages (EIP-191 over a message's commitment), as the anchorer
   * and the verifier expect. Closing this wallet key closes it too.
   */
  public io.chainseal.core.Signer messageSigner() {
    return key;
  }

  /**
   * Signs with low s. The recovery check of {@link EvmSigner#signChecked} is skipped: this key made the
   * signature itself, in this process, and the check would cost as much again as signing.
   */
  @Override
  public EcdsaSignature signChecked(Hash32 digest) {
    return signDigest(digest).normalized();
  }

  /** A copy of the 32 secret bytes, for a keystore or an export the user asked for. Wipe it after use. */
  public byte[] exportSecret() {
    return key.exportSecretBytes();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return key.isDestroyed();
  }

  /** Wipes the key; signing afterwards throws {@link SignerException}. */
  @Override
  public void close() {
    key.destroy();
  }

  @Override
  public String toString() {
    return "WalletKey[" + address + "]";
  }
}
