package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.chainseal.core.internal.Secp256k1;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * libsecp256k1 (through ACINQ's binding, on this module's test class path) recovers exactly what
 * Bouncy Castle recovers: the same key for every valid signature, nothing for every invalid one.
 */
class NativeRecoveryTest {
  private static final BigInteger P = new BigInteger(
      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);

  @Test
  void usesLibsecp256k1WhenItsBindingIsOnTheClassPath() {
    assertEquals("libsecp256k1", Secp256k1.recoveryImplementation());
  }

  @Test
  void recoversTheSameKeyAsBouncyCastleForRandomSignatures() {
    Random random = new Random(20261127);
    for (int i = 0; i < 1_000; i++) {
      byte[] secret = randomKey(random);
      byte[] digest = new byte[32];
      random.nextBytes(digest);
      byte[] signature = Secp256k1.sign(secret, digest);
      byte[] expected = Secp256k1.publicKey(secret);
      assertArrayEquals(expected, Secp256k1.recoverWithBouncyCastle(signature, digest));
      assertArrayEquals(expected, Secp256k1.recover(signature, digest));
      // The other recovery id recovers some other key, or none, the same way in both.
      byte[] otherId = signature.clone();
      otherId[64] ^= 1;
      assertArrayEquals(Secp256k1.recoverWithBouncyCastle(otherId, digest), Secp256k1.recover(otherId, digest));
      // A changed digest recovers another key in both.
      byte[] changed = digest.clone();
      changed[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
      byte[] fromChanged = Secp256k1.recover(signature, changed);
      assertArrayEquals(Secp256k1.recoverWithBouncyCastle(signature, changed), fromChanged);
      assertNotNull(fromChanged);
      assertEquals(false, Arrays.equals(expected, fromChanged));
    }
  }

  @Test
  void recoversNothingFromRandomRAndSWhereBouncyCastleRecoversNothing() {
    Random random = new Random(7);
    int none = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] signature = new byte[65];
      random.nextBytes(signature);
      signature[32] &= 0x7f; // low s, so both reach the curve arithmetic
      signature[64] = (byte) (27 + random.nextInt(2));
      byte[] digest = new byte[32];
      random.nextBytes(digest);
      byte[] expected = Secp256k1.recoverWithBouncyCastle(signature, digest);
      assertArrayEquals(expected, Secp256k1.recover(signature, digest));
      none += expected == null ? 1 : 0;
    }
    // About half of all r are no curve point's x: both sides saw such signatures.
    assertEquals(true, none > 500 && none < 1_500, "signatures recovering nothing: " + none);
  }

  @Test
  void rejectsSignaturesOutsideTheValidRangesLikeBouncyCastle() {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 7);
    byte[] digest = new byte[32];
    Arrays.fill(digest, (byte) 9);
    byte[] valid = Secp256k1.sign(secret, digest);
    byte[][] invalid = {
      withR(valid, BigInteger.ZERO),
      withR(valid, Secp256k1.N),
      withR(valid, P),
      withR(valid, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)),
      withS(valid, BigInteger.ZERO),
      withS(valid, Secp256k1.N.subtract(BigInteger.ONE)), // high s
      withV(valid, 29),
      withV(valid, 26),
      Arrays.copyOf(valid, 64),
    };
    for (byte[] signature : invalid) {
      assertNull(Secp256k1.recoverWithBouncyCastle(signature, digest));
      assertNull(Secp256k1.recover(signature, digest));
    }
    assertNull(Secp256k1.recover(valid, new byte[31]));
  }

  private static byte[] randomKey(Random random) {
    byte[] secret = new byte[32];
    do {
      random.nextBytes(secret);
    } while (!Secp256k1.isValidPrivateKey(secret));
    return secret;
  }

  private static byte[] withR(byte[] signature, BigInteger r) {
    byte[] out = signature.clone();
    System.arraycopy(fixed32(r), 0, out, 0, 32);
    return out;
  }

  private static byte[] withS(byte[] signature, BigInteger s) {
    byte[] out = signature.clone();
    System.arraycopy(fixed32(s), 0, out, 32, 32);
    return out;
  }

  private static byte[] withV(byte[] signature, int v) {
    byte[] out = signature.clone();
    out[64] = (byte) v;
    return out;
  }

  private static byte[] fixed32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, out, 32 - length, length);
    return out;
  }
}
