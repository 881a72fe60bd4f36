package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PaymentReceiptTest {
  private static final PaymentReceipt RECEIPT = new PaymentReceipt("tip/1", 31337, Hash32.fromHex("ab".repeat(32)),
      EvmAddress.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), EvmAddress.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
      null, new BigInteger("250000000000000000"));

  @Test
  void roundTripsThroughItsJson() throws Exception {
    assertEquals(RECEIPT, PaymentReceipt.fromJson(RECEIPT.toJson()));
    PaymentReceipt token = new PaymentReceipt("inv/2", 1, RECEIPT.transaction(), RECEIPT.from(), RECEIPT.to(),
        EvmAddress.fromHex("0x" + "11".repeat(20)), BigInteger.valueOf(12_500_000));
    assertEquals(token, PaymentReceipt.fromJson(token.toJson()));
    assertEquals("{\"type\":\"chainseal.payment-receipt\",\"version\":1,\"paymentId\":\"tip/1\",\"chainId\":31337,\"transaction\":\"0x"
        + "ab".repeat(32) + "\",\"from\":\"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\",\"to\":\"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\","
        + "\"token\":\"ETH\",\"amount\":\"250000000000000000\"}", RECEIPT.toJson());
  }

  private static String field(FormatException e) {
    return e.field();
  }

  @Test
  void malformedReceiptsNameTheirField() {
    String good = RECEIPT.toJson();
    assertEquals("", field(assertThrows(FormatException.class, () -> PaymentReceipt.fromJson("not json"))));
    assertEquals("amount", field(assertThrows(FormatException.class, () -> PaymentReceipt.fromJson(good.replace("\"250000000000000000\"", "\"-5\"")))));
    assertEquals("amount", field(assertThrows(FormatException.class, () -> PaymentReceipt.fromJson(good.replace("\"250000000000000000\"", "2.5e17")))));
    assertEquals("to", field(assertThrows(FormatException.class, () -> PaymentReceipt.fromJson(good.replace("0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "0x70997970c51812dc3A010C7d01b50e0d17dc79C8")))));
    assertEquals("chainId", field(assertThrows(FormatException.class, () -> PaymentReceipt.fromJson(good.replace("31337", "\"31337\"")))));
    assertEquals("transaction", field(assertThrows(FormatException.class, () -> PaymentReceipt.fromJson(good.replace("ab".repeat(32), "ab")))));
    assertEquals("extra", field(assertThrows(FormatException.class, () -> PaymentReceipt.fromJson(good.replace("{", "{\"extra\":1,")))));
    assertEquals("type", field(assertThrows(FormatException.class, () -> PaymentReceipt.fromJson(good.replace("payment-receipt", "vote")))));
  }
}
