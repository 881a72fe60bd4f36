package io.chainseal.wallet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.internal.Secp256k1;
import java.math.BigInteger;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.junit.jupiter.api.Test;

/** A property test: the table verifier agrees with Bouncy Castle's ECDSASigner on valid and tampered signatures. */
class FixedKeyVerifierTest {
  @Test
  void agreesWithBouncyCastleOnValidAndTamperedSignatures() {
    Random random = new Random(681);
    for (int key = 0; key < 4; key++) {
      BigInteger d = new BigInteger(256, random).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      ECPoint q = new FixedPointCombMultiplier().multiply(Secp256k1.DOMAIN.getG(), d).normalize();
      FixedKeyVerifier table = new FixedKeyVerifier(q);
      ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
      signer.init(true, new ECPrivateKeyParameters(d, Secp256k1.DOMAIN));
      ECDSASigner reference = new ECDSASigner();
      reference.init(false, new ECPublicKeyParameters(q, Secp256k1.DOMAIN));
      for (int i = 0; i < 200; i++) {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        if (i % 50 == 0) {
          digest[0] = 0; // short scalars too
          digest[1] = 0;
        }
        BigInteger[] rs = signer.generateSignature(digest);
        assertTrue(table.verify(digest, rs[0], rs[1]), "valid signature " + i);
        byte[] other = digest.clone();
        other[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
        assertEquals(reference.verifySignature(other, rs[0], rs[1]), table.verify(other, rs[0], rs[1]));
        assertFalse(table.verify(other, rs[0], rs[1]), "tampered digest");
        BigInteger otherR = rs[0].add(BigInteger.ONE).mod(Secp256k1.N);
        assertFalse(table.verify(digest, otherR, rs[1]));
        assertFalse(table.verify(digest, rs[0], rs[1].add(BigInteger.ONE)));
        assertTrue(table.verify(digest, rs[0], Secp256k1.N.subtract(rs[1])), "ECDSA accepts n - s; the low-s rule is the caller's");
      }
      assertFalse(table.verify(new byte[32], BigInteger.ZERO, BigInteger.ONE));
      assertFalse(table.verify(new byte[32], BigInteger.ONE, Secp256k1.N));
      assertFalse(table.verify(new byte[31], BigInteger.ONE, BigInteger.ONE));
    }
    assertThrows(IllegalArgumentException.class, () -> new FixedKeyVerifier(Secp256k1.DOMAIN.getCurve().getInfinity()));
  }
}
