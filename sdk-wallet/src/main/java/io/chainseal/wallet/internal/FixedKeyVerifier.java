package io.chainseal.wallet.internal;

import io.chainseal.core.internal.Secp256k1;
import java.math.BigInteger;
import java.util.Objects;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA verification against one public key that signs many messages — a payment channel's sender —
 * about twice as fast as Bouncy Castle's {@code ECDSASigner}, on Bouncy Castle's point arithmetic.
 *
 * <p>Written here because Bouncy Castle has no fixed-key verifier: its verification computes
 * u1·G + u2·Q with interleaved window multiplication, paying 256 point doublings each time. Here both
 * G and Q get a table of every multiple {@code j·256^i·P} (j = 1..255, i = 0..31, 8,160 affine points,
 * about 1.6 MB); a scalar multiplication is then at most 32 additions of table points and no doubling.
 * Building Q's table costs about 25 ms, so callers build it only for keys that sign many messages.
 * G's table is built once per class loader, on first use. Immutable and thread-safe.
 */
public final class FixedKeyVerifier {
  private static final ECCurve CURVE = Secp256k1.DOMAIN.getCurve();
  private static final BigInteger N = Secp256k1.N;

  /** The generator's table, built on first use (the holder idiom: immutable once built). */
  private static final class Generator {
    static final ECPoint[] TABLE = table(Secp256k1.DOMAIN.getG());
  }

  private final ECPoint[] table;

  /** A verifier for signatures of {@code publicKey} (a point on secp256k1, not infinity). */
  public FixedKeyVerifier(ECPoint publicKey) {
    Objects.requireNonNull(publicKey, "publicKey == null");
    if (publicKey.isInfinity() || !publicKey.isValid()) {
      throw new IllegalArgumentException("not a valid public key");
    }
    this.table = table(publicKey.normalize());
  }

  private static ECPoint[] table(ECPoint point) {
    ECPoint[] multiples = new ECPoint[32 * 255];
    ECPoint base = point;
    for (int window = 0; window < 32; window++) {
      ECPoint sum = base;
      for (int j = 0; j < 255; j++) {
        multiples[window * 255 + j] = sum;
        sum = sum.add(base);
      }
      base = sum; // 256 · base
    }
    CURVE.normalizeAll(multiples); // affine: each later addition is a cheaper mixed one
    return multiples;
  }

  private static ECPoint multiply(ECPoint[] table, BigInteger scalar) {
    byte[] bytes = scalar.toByteArray();
    ECPoint sum = CURVE.getInfinity();
    for (int window = 0; window < 32 && window < bytes.length; window++) {
      int digit = bytes[bytes.length - 1 - window] & 0xff;
      if (digit != 0) {
        sum = sum.add(table[window * 255 + digit - 1]);
      }
    }
    return sum;
  }

  /**
   * Whether (r, s, recoveryId) is this key's signature over the 32-byte {@code digest} exactly as
   * Ethereum's {@code ecrecover} reads it: 1 ≤ r, s &lt; n, and the point R = (e·s⁻¹)·G + (r·s⁻¹)·Q has
   * x coordinate r itself (not r + n) and the y parity {@code recoveryId} names. Checking the parity
   * matters: with the other parity {@code ecrecover} finds another signer, so a contract would refuse
   * a signature plain ECDSA verification accepts. (Whether s is low is the caller's rule.)
   */
  public boolean verify(byte[] digest, BigInteger r, BigInteger s, int recoveryId) {
    if (digest.length != 32 || r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0
        || (recoveryId != 0 && recoveryId != 1)) {
      return false;
    }
    BigInteger e = new BigInteger(1, digest);
    BigInteger sInverse = s.modInverse(N);
    BigInteger u1 = e.multiply(sInverse).mod(N);
    BigInteger u2 = r.multiply(sInverse).mod(N);
    ECPoint point = multiply(Generator.TABLE, u1).add(multiply(table, u2)).normalize();
    return !point.isInfinity() && point.getAffineXCoord().toBigInteger().equals(r)
        && point.getAffineYCoord().testBitZero() == (recoveryId == 1);
  }
}
