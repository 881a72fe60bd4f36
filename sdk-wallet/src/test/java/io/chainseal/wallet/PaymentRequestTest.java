package io.chainseal.wallet;

import io.chainseal.chain.TypedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PaymentRequestTest {
  private static HdWallet wallet;
  private static WalletKey bob;
  private static WalletKey mallory;
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @BeforeAll
  static void keys() throws Exception {
    wallet = HdWallet.of(Mnemonic.parse("test test test test test test test test test test test junk"));
    bob = wallet.account(1);
    mallory = wallet.account(2);
  }

  @AfterAll
  static void close() {
    wallet.close();
  }

  private static PaymentRequest request(BigInteger amount, long chainId) {
    return new PaymentRequest("invoice-17", bob.address(), null, amount, chainId, NOW.plusSeconds(3600), "pizza");
  }

  @Test
  void typedDataHashesAsTheEip712ReferenceExample() {
    // The "Mail" example of EIP-712 and its published digest.
    String mail = "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":\"string\"},"
        + "{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\"}],"
        + "\"Person\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"wallet\",\"type\":\"address\"}],"
        + "\"Mail\":[{\"name\":\"from\",\"type\":\"Person\"},{\"name\":\"to\",\"type\":\"Person\"},{\"name\":\"contents\",\"type\":\"string\"}]},"
        + "\"primaryType\":\"Mail\",\"domain\":{\"name\":\"Ether Mail\",\"version\":\"1\",\"chainId\":1,"
        + "\"verifyingContract\":\"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC\"},\"message\":{\"from\":{\"name\":\"Cow\","
        + "\"wallet\":\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"},\"to\":{\"name\":\"Bob\",\"wallet\":\"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB\"},"
        + "\"contents\":\"Hello, Bob!\"}}";
    assertEquals(Hash32.fromHex("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"), TypedData.digest(mail));
  }

  @Test
  void theRequestersSignatureVerifiesAndItsJsonIsWhatWalletsSign() throws Exception {
    SignedPaymentRequest signed = request(BigInteger.valueOf(1_000), 31337).sign(bob);
    signed.verify(bob.address(), 31337, NOW);
    SignedPaymentRequest back = SignedPaymentRequest.fromJson(signed.toJson());
    assertEquals(signed, back);
    back.verify(bob.address(), 31337, NOW);
    String typed = signed.request().typedDataJson();
    assertTrue(typed.contains("\"primaryType\":\"PaymentRequest\""), typed);
    assertEquals(signed.request().digest(), TypedData.digest(typed));
    assertEquals(bob.address(), signed.signature().recover(TypedData.digest(typed)).orElseThrow());
  }

  private static void refused(PaymentException.Reason reason, org.junit.jupiter.api.function.Executable call) {
    assertEquals(reason, assertThrows(PaymentException.class, call).reason());
  }

  @Test
  void forgedTamperedExpiredAndForeignRequestsAreRefused() throws Exception {
    SignedPaymentRequest genuine = request(BigInteger.valueOf(1_000), 31337).sign(bob);
    // Signed by Mallory, claiming to be Bob.
    SignedPaymentRequest forged = new SignedPaymentRequest(genuine.request(), bob.address(), mallory.signDigest(genuine.request().digest()));
    refused(PaymentException.Reason.REQUEST_NOT_TRUSTED, () -> forged.verify(bob.address(), 31337, NOW));
    // Bob's signature on another amount.
    SignedPaymentRequest tampered = new SignedPaymentRequest(request(BigInteger.valueOf(9_000), 31337), bob.address(), genuine.signature());
    refused(PaymentException.Reason.REQUEST_NOT_TRUSTED, () -> tampered.verify(bob.address(), 31337, NOW));
    // Honestly Mallory's, but the payer expects Bob.
    refused(PaymentException.Reason.REQUEST_NOT_TRUSTED, () -> genuine.request().sign(mallory).verify(bob.address(), 31337, NOW));
    refused(PaymentException.Reason.WRONG_CHAIN, () -> genuine.verify(bob.address(), 1, NOW));
    refused(PaymentException.Reason.REQUEST_EXPIRED, () -> genuine.verify(bob.address(), 31337, NOW.plusSeconds(3600)));
    // The chain id is inside the signed domain: the same fields for chain 1 hash differently.
    assertTrue(!request(BigInteger.valueOf(1_000), 1).digest().equals(genuine.request().digest()));
  }

  @Test
  void malformedJsonNamesItsField() {
    String json = request(BigInteger.TEN, 31337).sign(bob).toJson();
    assertEquals("signature", assertThrows(FormatException.class, () -> SignedPaymentRequest.fromJson(
        json.replaceAll("\"signature\":\"0x[0-9a-f]+\"", "\"signature\":\"0x12\""))).field());
    assertEquals("amount", assertThrows(FormatException.class, () -> SignedPaymentRequest.fromJson(json.replace("\"10\"", "\"-10\""))).field());
    assertEquals("expiry", assertThrows(FormatException.class, () -> SignedPaymentRequest.fromJson(json.replaceAll("\"expiry\":[0-9]+", "\"expiry\":-1"))).field());
    assertEquals("", assertThrows(FormatException.class, () -> SignedPaymentRequest.fromJson("[]")).field());
  }
}
