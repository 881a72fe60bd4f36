package io.chainseal.wallet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.internal.Secp256k1;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * A property test: the table verifier says yes exactly where Ethereum's ecrecover (here, the core's
 * recovery) finds the key — recovery id included — on valid and tampered signatures.
 */
class FixedKeyVerifierTest {
  @Test
  void agreesWithRecoveryOnValidTamperedAndFlippedSignatures() {
    Random random = new Random(681);
    for (int key = 0; key < 4; key++) {
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      secret[0] &= 0x7f;
      byte[] publicKey = Secp256k1.publicKey(secret);
      byte[] encoded = new byte[65];
      encoded[0] = 0x04;
      System.arraycopy(publicKey, 0, encoded, 1, 64);
      ECPoint q = Secp256k1.DOMAIN.getCurve().decodePoint(encoded);
      FixedKeyVerifier table = new FixedKeyVerifier(q);
      for (int i = 0; i < 150; i++) {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        if (i % 50 == 0) {
          digest[0] = 0; // short scalars too
          digest[1] = 0;
        }
        byte[] signature = Secp256k1.sign(secret, digest);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        int recId = signature[64] - 27;
        assertArrayEquals(publicKey, Secp256k1.recover(signature, digest));
        assertTrue(table.verify(digest, r, s, recId), "valid signature " + i);
        // The other recovery id: ecrecover finds another key, and so must this say no.
        byte[] flipped = signature.clone();
        flipped[64] = (byte) (27 + (recId ^ 1));
        assertFalse(Arrays.equals(publicKey, Secp256k1.recover(flipped, digest)));
        assertFalse(table.verify(digest, r, s, recId ^ 1), "flipped v " + i);
        // n - s with the other parity is the same signature (high s: the caller's rule refuses it).
        assertTrue(table.verify(digest, r, Secp256k1.N.subtract(s), recId ^ 1));
        byte[] other = digest.clone();
        other[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
        assertFalse(table.verify(other, r, s, recId), "tampered digest");
        assertFalse(table.verify(other, r, s, recId ^ 1), "tampered digest, flipped v");
        assertFalse(table.verify(digest, r.add(BigInteger.ONE).mod(Secp256k1.N), s, recId));
        assertFalse(table.verify(digest, r, s.add(BigInteger.ONE), recId));
      }
      assertFalse(table.verify(new byte[32], BigInteger.ZERO, BigInteger.ONE, 0));
      assertFalse(table.verify(new byte[32], BigInteger.ONE, Secp256k1.N, 0));
      assertFalse(table.verify(new byte[31], BigInteger.ONE, BigInteger.ONE, 0));
      assertFalse(table.verify(new byte[32], BigInteger.ONE, BigInteger.ONE, 2));
    }
    assertThrows(IllegalArgumentException.class, () -> new FixedKeyVerifier(Secp256k1.DOMAIN.getCurve().getInfinity()));
  }
}
