package io.chainseal.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

class EvmSignerTest {
  private static final byte[] SECRET = HexFormat.of().parseHex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  private static final byte[] OTHER = HexFormat.of().parseHex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  private static final EvmAddress TO = EvmAddress.fromHex("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

  /** A stand-in for a remote signer: signs through a counted call, as an HSM or KMS would. */
  private static final class CountingSigner implements EvmSigner {
    final EvmSigner inner;
    final AtomicInteger calls = new AtomicInteger();

    CountingSigner(EvmSigner inner) {
      this.inner = inner;
    }

    @Override
    public EvmAddress address() {
      return inner.address();
    }

    @Override
    public EcdsaSignature signDigest(Hash32 digest) {
      calls.incrementAndGet();
      return inner.signDigest(digest);
    }
  }

  @Test
  void transactionsSignedThroughASignerAreWeb3jsBytes() {
    CountingSigner remote = new CountingSigner(EvmSigner.of(SigningKey.secp256k1(SECRET)));
    TransactionSigner signer = new TransactionSigner(remote, 31337);
    TransactionSigner.Signed signed = signer.sign(7, TO, BigInteger.TEN, new byte[] {1, 2}, BigInteger.valueOf(50_000),
        BigInteger.valueOf(3_000_000_000L), BigInteger.valueOf(1_000_000_000L));
    RawTransaction tx = RawTransaction.createTransaction(31337, BigInteger.valueOf(7), BigInteger.valueOf(50_000), TO.lowercase(),
        BigInteger.TEN, Numeric.toHexString(new byte[] {1, 2}), BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(3_000_000_000L));
    byte[] reference = TransactionEncoder.signMessage(tx, Credentials.create(ECKeyPair.create(SECRET)));
    assertArrayEquals(reference, signed.raw());
    assertEquals(1, remote.calls.get());
    assertEquals(7, TransactionSigner.fees(signed.raw()).nonce());
  }

  @Test
  void refusesASignatureOfAnotherKey() {
    EvmSigner honest = EvmSigner.of(SigningKey.secp256k1(SECRET));
    EvmSigner wrongKey = EvmSigner.of(SigningKey.secp256k1(OTHER));
    EvmSigner lying = new EvmSigner() {
      @Override
      public EvmAddress address() {
        return honest.address();
      }

      @Override
      public EcdsaSignature signDigest(Hash32 digest) {
        return wrongKey.signDigest(digest);
      }
    };
    TransactionSigner signer = new TransactionSigner(lying, 31337);
    SignerException e = assertThrows(SignerException.class, () -> signer.sign(0, TO, new byte[0], BigInteger.valueOf(21_000),
        BigInteger.ONE, BigInteger.ONE));
    assertTrue(e.getMessage().contains(honest.address().toString()), e.getMessage());
  }

  @Test
  void highSIsNormalizedBeforeUse() {
    EvmSigner honest = EvmSigner.of(SigningKey.secp256k1(SECRET));
    Hash32 digest = Hash32.of(new byte[32]);
    EcdsaSignature low = honest.signDigest(digest);
    EcdsaSignature high = new EcdsaSignature(low.r(), io.chainseal.core.internal.Secp256k1.N.subtract(low.s()), low.recoveryId() ^ 1);
    assertFalse(high.isLowS());
    assertTrue(high.recover(digest).isEmpty(), "high s is refused by recovery, as Ethereum does");
    EvmSigner kms = new EvmSigner() {
      @Override
      public EvmAddress address() {
        return honest.address();
      }

      @Override
      public EcdsaSignature signDigest(Hash32 d) {
        return high;
      }
    };
    assertEquals(low, kms.signChecked(digest));
  }

  @Test
  void signatureBytesRoundTripAndMalformedOnesAreNamed() {
    EcdsaSignature signature = EvmSigner.of(SigningKey.secp256k1(SECRET)).signDigest(Hash32.of(new byte[32]));
    assertEquals(signature, EcdsaSignature.of(signature.bytes()));
    assertEquals(signature, EcdsaSignature.ofHex(signature.hex0x()));
    assertEquals("a signature has 65 bytes, got 64",
        assertThrows(IllegalArgumentException.class, () -> EcdsaSignature.of(new byte[64])).getMessage());
    byte[] badV = signature.bytes();
    badV[64] = 29;
    assertEquals("v must be 27 or 28 (or 0 or 1), got 29", assertThrows(IllegalArgumentException.class, () -> EcdsaSignature.of(badV)).getMessage());
    assertEquals("signature is not hex", assertThrows(IllegalArgumentException.class, () -> EcdsaSignature.ofHex("0xzz")).getMessage());
    assertEquals("r is out of range", assertThrows(IllegalArgumentException.class, () -> EcdsaSignature.of(new byte[65])).getMessage());
  }

  @Test
  void aDestroyedKeySignsNothing() {
    SigningKey key = SigningKey.secp256k1(SECRET);
    EvmSigner signer = EvmSigner.of(key);
    key.destroy();
    assertThrows(SignerException.class, () -> signer.signDigest(Hash32.of(new byte[32])));
    assertFalse(signer.toString().contains("ac0974"));
  }
}
