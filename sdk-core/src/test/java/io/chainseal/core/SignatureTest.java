package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

class SignatureTest {
  private static final Hash32 COMMITMENT = Fixtures.message("m-1", "hello").commit(Fixtures.salt(1));
  private static final BigInteger N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  @Test
  void secp256k1KeyHasTheKnownAddress() {
    assertEquals(Fixtures.ANVIL_ADDRESS_0, Fixtures.secp256k1().id().address().checksummed());
    assertEquals("eip191:" + Fixtures.ANVIL_ADDRESS_0, Fixtures.secp256k1().id().toText());
  }

  @Test
  void eip191SignatureIsByteForByteWhatAWalletProduces() {
    // Web3j's personal_sign, deterministic per RFC 6979 like ours: an independent implementation.
    Sign.SignatureData wallet = Sign.signPrefixedMessage(COMMITMENT.bytes(), ECKeyPair.create(Fixtures.ANVIL_KEY_0));
    byte[] expected = new byte[65];
    System.arraycopy(wallet.getR(), 0, expected, 0, 32);
    System.arraycopy(wallet.getS(), 0, expected, 32, 32);
    expected[64] = wallet.getV()[0];
    assertArrayEquals(expected, Fixtures.secp256k1().sign(COMMITMENT).value());
  }

  @Test
  void signaturesVerifyForBothSchemes() {
    for (SigningKey key : new SigningKey[] {Fixtures.secp256k1(), Fixtures.ed25519()}) {
      SignatureCheck check = SignatureVerifier.verify(COMMITMENT, key.sign(COMMITMENT));
      assertTrue(check.valid(), key + ": " + check.reason());
    }
  }

  @Test
  void anotherCommitmentOrSignerFails() {
    Hash32 other = Fixtures.message("m-2", "hello").commit(Fixtures.salt(1));
    for (SigningKey key : new SigningKey[] {Fixtures.secp256k1(), Fixtures.ed25519()}) {
      assertFalse(SignatureVerifier.verify(other, key.sign(COMMITMENT)).valid());
    }
    SigningKey mallory = SigningKey.generate(SignatureScheme.SECP256K1_EIP191, new SecureRandom());
    MessageSignature forged = MessageSignature.of(Fixtures.secp256k1().id(), mallory.sign(COMMITMENT).value());
    SignatureCheck check = SignatureVerifier.verify(COMMITMENT, forged);
    assertFalse(check.valid());
    assertTrue(check.reason().contains(mallory.id().address().checksummed()), check.reason());
  }

  @Test
  void everyBitFlipOfASignatureFails() {
    for (SigningKey key : new SigningKey[] {Fixtures.secp256k1(), Fixtures.ed25519()}) {
      byte[] value = key.sign(COMMITMENT).value();
      for (int bit = 0; bit < value.length * 8; bit++) {
        byte[] flipped = value.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        assertFalse(SignatureVerifier.verify(COMMITMENT, MessageSignature.of(key.id(), flipped)).valid(), key + " bit " + bit);
      }
    }
  }

  @Test
  void highSFormIsRejected() {
    byte[] value = Fixtures.secp256k1().sign(COMMITMENT).value();
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(value, 32, 64));
    byte[] highS = N.subtract(s).toByteArray();
    byte[] malleable = value.clone();
    Arrays.fill(malleable, 32, 64, (byte) 0);
    System.arraycopy(highS, Math.max(0, highS.length - 32), malleable, 64 - Math.min(32, highS.length), Math.min(32, highS.length));
    malleable[64] = (byte) (value[64] == 27 ? 28 : 27);
    SignatureCheck check = SignatureVerifier.verify(COMMITMENT, MessageSignature.of(Fixtures.secp256k1().id(), malleable));
    assertFalse(check.valid());
    assertTrue(check.reason().contains("high s"), check.reason());
  }

  @Test
  void malformedSignaturesAndKeysGiveVerdictsNotExceptions() {
    byte[] zeros = new byte[65];
    assertFalse(SignatureVerifier.verify(COMMITMENT, MessageSignature.of(Fixtures.secp256k1().id(), zeros)).valid());
    byte[] ones = new byte[65];
    Arrays.fill(ones, (byte) 0xff);
    assertFalse(SignatureVerifier.verify(COMMITMENT, MessageSignature.of(Fixtures.secp256k1().id(), ones)).valid());
    byte[] badKey = new byte[32];
    Arrays.fill(badKey, (byte) 0xff);
    SignerId notAPoint = SignerId.ofEd25519(badKey);
    assertFalse(SignatureVerifier.verify(COMMITMENT, MessageSignature.of(notAPoint, new byte[64])).valid());
    assertFalse(SignatureVerifier.verify(null, null).valid());
    assertThrows(IllegalArgumentException.class, () -> MessageSignature.of(Fixtures.secp256k1().id(), new byte[64]));
  }

  @Test
  void secretsNeverAppearInTextAndDestroyedKeysRefuseToSign() {
    SigningKey key = Fixtures.secp256k1();
    String secretHex = HexFormat.of().formatHex(Fixtures.ANVIL_KEY_0);
    assertFalse(key.toString().toLowerCase().contains(secretHex));
    assertFalse(key.toString().contains(secretHex.substring(0, 16)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningKey.secp256k1(new byte[32]));
    assertFalse(e.getMessage().contains("0000000000"), e.getMessage());
    key.destroy();
    assertTrue(key.isDestroyed());
    assertThrows(IllegalStateException.class, () -> key.sign(COMMITMENT));
    assertThrows(IllegalStateException.class, key::exportSecretBytes);
  }

  @Test
  void signerIdsParseAndRejectBadChecksums() {
    assertEquals(Fixtures.secp256k1().id(), SignerId.parse("eip191:" + Fixtures.ANVIL_ADDRESS_0.toLowerCase()));
    assertThrows(IllegalArgumentException.class, () -> SignerId.parse("eip191:0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    assertThrows(IllegalArgumentException.class, () -> SignerId.parse("rsa:abc"));
    SignerId ed = Fixtures.ed25519().id();
    assertEquals(ed, SignerId.parse(ed.toText()));
  }
}
