package io.chainseal.core.internal;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.jspecify.annotations.Nullable;

/**
 * secp256k1 ECDSA with Ethereum's conventions, on Bouncy Castle's curve arithmetic: deterministic
 * nonces (RFC 6979), low-s signatures, r ‖ s ‖ v encoding, and public key recovery. Recovery (SEC 1
 * v2 §4.1.6) is written here because Bouncy Castle's ECDSA has none. Not API.
 *
 * <p>When Bitcoin Core's libsecp256k1 is on the class path (ACINQ's {@code secp256k1-kmp-jni-jvm},
 * which {@code chainseal-governance} brings), {@link #recover(byte[], byte[])} runs there instead:
 * about four times as fast (29–33 µs against 128–135 µs per recovery on a 2-vCPU build machine), which
 * decides how fast a tally of many signed votes is; {@code -Dchainseal.secp256k1.native=false} keeps it
 * in Bouncy Castle. See {@link NativeRecovery}.
 */
public final class Secp256k1 {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  public static final BigInteger N = CURVE.getN();
  private static final BigInteger HALF_N = N.shiftRight(1);

  private Secp256k1() {}

  /** Whether {@code secret} (32 bytes, big-endian) is a valid private key: 1 ≤ d < n. */
  public static boolean isValidPrivateKey(byte[] secret) {
    if (secret.length != 32) {
      return false;
    }
    BigInteger d = new BigInteger(1, secret);
    return d.signum() > 0 && d.compareTo(N) < 0;
  }

  /** The 64-byte uncompressed public key (x ‖ y, no 0x04 prefix) of {@code secret}. */
  public static byte[] publicKey(byte[] secret) {
    ECPoint q = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), new BigInteger(1, secret)).normalize();
    byte[] encoded = q.getEncoded(false);
    return Arrays.copyOfRange(encoded, 1, 65);
  }

  /** The Ethereum address of a 64-byte public key: the last 20 bytes of its Keccak-256. */
  public static byte[] address(byte[] publicKey64) {
    byte[] hash = Keccak.keccak256(publicKey64);
    return Arrays.copyOfRange(hash, 12, 32);
  }

  /**
   * Signs a 32-byte hash; returns r ‖ s ‖ v with low s and v in {27, 28}.
   *
   * <p>The same computation as Bouncy Castle's {@code ECDSASigner} with RFC 6979 nonces (so the same
   * signatures), written out because that signer hides the point R whose y parity is the recovery id:
   * finding it by trial recovery would cost two more point multiplications per signature.
   */
  public static byte[] sign(byte[] secret, byte[] hash32) {
    BigInteger d = new BigInteger(1, secret);
    BigInteger e = new BigInteger(1, hash32);
    HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
    nonces.init(N, d, hash32);
    FixedPointCombMultiplier base = new FixedPointCombMultiplier();
    while (true) {
      BigInteger k = nonces.nextK();
      ECPoint bigR = base.multiply(DOMAIN.getG(), k).normalize();
      BigInteger x = bigR.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(N);
      if (r.signum() == 0 || x.compareTo(N) >= 0) {
        continue; // r = 0, or x ≥ n (recovery ids 2 and 3, which Ethereum's v cannot express): the next nonce
      }
      BigInteger s = k.modInverse(N).multiply(e.add(d.multiply(r))).mod(N);
      if (s.signum() == 0) {
        continue;
      }
      int recId = bigR.getAffineYCoord().testBitZero() ? 1 : 0;
      if (s.compareTo(HALF_N) > 0) {
        s = N.subtract(s); // low s: the signature of -k, whose R has the other y
        recId ^= 1;
      }
      byte[] out = new byte[65];
      toFixed32(r, out, 0);
      toFixed32(s, out, 32);
      out[64] = (byte) (27 + recId);
      return out;
    }
  }

  /**
   * Recovers the 64-byte public key from an r ‖ s ‖ v signature over {@code hash32}.
   *
   * @return the key, or {@code null} if the signature is malformed, has high s, or recovers nothing
   * @throws IllegalStateException if libsecp256k1 fails other than by refusing the signature (a broken
   *     native library; never for any signature or digest)
   */
  public static byte @Nullable [] recover(byte[] signature65, byte[] hash32) {
    return recoverUsing(NativeRecovery.INSTANCE, signature65, hash32);
  }

  /**
   * {@link #recover(byte[], byte[])} on Bouncy Castle alone, whatever else is on the class path: the
   * reference the native library is checked against.
   */
  public static byte @Nullable [] recoverWithBouncyCastle(byte[] signature65, byte[] hash32) {
    return recoverUsing(null, signature65, hash32);
  }

  /** Checks the signature's form, then recovers in {@code nativeRecovery}, or in Bouncy Castle if null. */
  private static byte @Nullable [] recoverUsing(@Nullable NativeRecovery nativeRecovery, byte[] signature65, byte[] hash32) {
    if (signature65.length != 65 || hash32.length != 32) {
      return null;
    }
    int v = signature65[64] & 0xff;
    int recId = v >= 27 ? v - 27 : v;
    if (recId != 0 && recId != 1) {
      return null;
    }
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature65, 32, 64));
    if (s.compareTo(HALF_N) > 0) {
      return null; // high s: malleable, rejected as Ethereum does since EIP-2 (libsecp256k1 would accept it)
    }
    if (nativeRecovery != null) {
      return nativeRecovery.recover(signature65, recId, hash32);
    }
    return recover(new BigInteger(1, Arrays.copyOfRange(signature65, 0, 32)), s, recId, hash32);
  }

  /** Which implementation {@link #recover(byte[], byte[])} uses in this JVM: "libsecp256k1" or "Bouncy Castle". */
  public static String recoveryImplementation() {
    return NativeRecovery.INSTANCE != null ? "libsecp256k1" : "Bouncy Castle";
  }

  /** Whether s is in the upper half of the group order (a malleable signature). */
  public static boolean hasHighS(byte[] signature65) {
    return new BigInteger(1, Arrays.copyOfRange(signature65, 32, 64)).compareTo(HALF_N) > 0;
  }

  private static byte @Nullable [] recover(BigInteger r, BigInteger s, int recId, byte[] hash32) {
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
      return null;
    }
    BigInteger prime = CURVE.getCurve().getField().getCharacteristic();
    if (r.compareTo(prime) >= 0) {
      return null;
    }
    // x = r (the recId 2/3 case x = r + n is astronomically rare and not produced by Ethereum signers).
    byte[] compressed = new byte[33];
    compressed[0] = (byte) (0x02 | (recId & 1));
    toFixed32(r, compressed, 1);
    ECPoint bigR;
    try {
      bigR = CURVE.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException e) {
      return null; // r is not the x coordinate of a curve point
    }
    // No check that n·R is the point at infinity: secp256k1's cofactor is 1, so every curve point has order n.
    BigInteger e = new BigInteger(1, hash32).mod(N);
    BigInteger rInv = r.modInverse(N);
    BigInteger u1 = N.subtract(e).multiply(rInv).mod(N);
    BigInteger u2 = s.multiply(rInv).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, bigR, u2).normalize();
    if (q.isInfinity()) {
      return null;
    }
    byte[] encoded = q.getEncoded(false);
    return Arrays.copyOfRange(encoded, 1, 65);
  }

  private static void toFixed32(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
  }
}
