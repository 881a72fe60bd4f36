package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.internal.Secp256k1;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A recoverable secp256k1 signature: r, s and the recovery id (0 or 1). Its 65-byte form is
 * r ‖ s ‖ v with v = 27 + recovery id, as {@code eth_sign} and {@code eth_signTypedData_v4} return it.
 *
 * @param r the r value, 1 ≤ r &lt; n
 * @param s the s value, 1 ≤ s &lt; n
 * @param recoveryId 0 or 1
 */
public record EcdsaSignature(BigInteger r, BigInteger s, int recoveryId) {
  private static final BigInteger HALF_N = Secp256k1.N.shiftRight(1);

  public EcdsaSignature {
    Objects.requireNonNull(r, "r == null");
    Objects.requireNonNull(s, "s == null");
    if (r.signum() <= 0 || r.compareTo(Secp256k1.N) >= 0) {
      throw new IllegalArgumentException("r is out of range");
    }
    if (s.signum() <= 0 || s.compareTo(Secp256k1.N) >= 0) {
      throw new IllegalArgumentException("s is out of range");
    }
    if (recoveryId != 0 && recoveryId != 1) {
      throw new IllegalArgumentException("recovery id must be 0 or 1, got " + recoveryId);
    }
  }

  /**
   * Reads r ‖ s ‖ v (65 bytes, v in {0, 1, 27, 28}).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static EcdsaSignature of(byte[] rsv) {
    Objects.requireNonNull(rsv, "signature == null");
    if (rsv.length != 65) {
      throw new IllegalArgumentException("a signature has 65 bytes, got " + rsv.length);
    }
    int v = rsv[64] & 0xff;
    int recoveryId = v >= 27 ? v - 27 : v;
    if (recoveryId != 0 && recoveryId != 1) {
      throw new IllegalArgumentException("v must be 27 or 28 (or 0 or 1), got " + v);
    }
    return new EcdsaSignature(new BigInteger(1, java.util.Arrays.copyOfRange(rsv, 0, 32)),
        new BigInteger(1, java.util.Arrays.copyOfRange(rsv, 32, 64)), recoveryId);
  }

  /** Reads the 0x-prefixed (or bare) hex of r ‖ s ‖ v. */
  public static EcdsaSignature ofHex(String hex) {
    Objects.requireNonNull(hex, "hex == null");
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature is not hex", e);
    }
    return of(bytes);
  }

  /** Whether s is in the lower half of the group order, as Ethereum requires since EIP-2. */
  public boolean isLowS() {
    return s.compareTo(HALF_N) <= 0;
  }

  /** The same signature with low s (s and n − s sign the same digest; the recovery id flips). */
  public EcdsaSignature normalized() {
    return isLowS() ? this : new EcdsaSignature(r, Secp256k1.N.subtract(s), recoveryId ^ 1);
  }

  /** r ‖ s ‖ v, v = 27 + recovery id. */
  public byte[] bytes() {
    byte[] out = new byte[65];
    fixed32(r, out, 0);
    fixed32(s, out, 32);
    out[64] = (byte) (27 + recoveryId);
    return out;
  }

  /** {@link #bytes()} as 0x-prefixed hex. */
  public String hex0x() {
    return "0x" + HexFormat.of().formatHex(bytes());
  }

  /** The account whose key made this signature over {@code digest}; empty if it has high s or recovers nothing. */
  public Optional<EvmAddress> recover(Hash32 digest) {
    byte[] publicKey = Secp256k1.recover(bytes(), digest.bytes());
    return publicKey == null ? Optional.empty() : Optional.of(EvmAddress.of(Secp256k1.address(publicKey)));
  }

  private static void fixed32(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 32 ? bytes.length - 32 : 0;
    int length = bytes.length - start;
    System.arraycopy(bytes, start, out, offset + 32 - length, length);
  }

  @Override
  public String toString() {
    return "EcdsaSignature[" + hex0x() + "]";
  }
}
