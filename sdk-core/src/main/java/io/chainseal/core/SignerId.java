package io.chainseal.core;

import io.chainseal.core.internal.Hex;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who signs: a scheme and a public identity — an EVM address for {@link SignatureScheme#SECP256K1_EIP191},
 * a public key for {@link SignatureScheme#ED25519}. Text form: {@code eip191:0x<EIP-55 address>} or
 * {@code ed25519:<64 hex digits>}. Immutable.
 */
public final class SignerId {
  private final SignatureScheme scheme;
  private final byte[] identity;

  private SignerId(SignatureScheme scheme, byte[] identity) {
    this.scheme = scheme;
    this.identity = identity;
  }

  /** The signer behind an Ethereum address. */
  public static SignerId ofAddress(EvmAddress address) {
    return new SignerId(SignatureScheme.SECP256K1_EIP191, address.bytes());
  }

  /** The signer behind a 32-byte Ed25519 public key. */
  public static SignerId ofEd25519(byte[] publicKey) {
    Objects.requireNonNull(publicKey, "publicKey == null");
    if (publicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + publicKey.length);
    }
    return new SignerId(SignatureScheme.ED25519, publicKey.clone());
  }

  /**
   * Parses the text form.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SignerId parse(String text) {
    Objects.requireNonNull(text, "text == null");
    int colon = text.indexOf(':');
    SignatureScheme scheme = colon < 0 ? null : SignatureScheme.fromId(text.substring(0, colon));
    if (scheme == null) {
      throw new IllegalArgumentException("signer must be 'eip191:0x...' or 'ed25519:...', got " + Hash32.abbreviate(text));
    }
    String value = text.substring(colon + 1);
    if (scheme == SignatureScheme.SECP256K1_EIP191) {
      return ofAddress(EvmAddress.fromHex(value));
    }
    byte[] key = Hex.decodeOrNull(value);
    if (key == null || key.length != 32) {
      throw new IllegalArgumentException("an Ed25519 signer is 64 hex digits, got " + Hash32.abbreviate(value));
    }
    return new SignerId(scheme, key);
  }

  public SignatureScheme scheme() {
    return scheme;
  }

  /** The address (secp256k1) or public key (Ed25519) bytes, copied. */
  public byte[] identity() {
    return identity.clone();
  }

  /** The address, for a secp256k1 signer. */
  public EvmAddress address() {
    if (scheme != SignatureScheme.SECP256K1_EIP191) {
      throw new IllegalStateException(scheme.id() + " signers have no address");
    }
    return EvmAddress.of(identity);
  }

  /** The text form, e.g. {@code eip191:0xf39F...2266}. */
  public String toText() {
    return scheme.id() + ":" + (scheme == SignatureScheme.SECP256K1_EIP191 ? EvmAddress.of(identity).checksummed() : Hex.encode(identity));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SignerId other && other.scheme == scheme && Arrays.equals(identity, other.identity);
  }

  @Override
  public int hashCode() {
    return 31 * scheme.hashCode() + Arrays.hashCode(identity);
  }

  @Override
  public String toString() {
    return toText();
  }
}
