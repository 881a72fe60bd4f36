package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.EvmAddress;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PaymentOrderTest {
  private static final String BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  private static final Token USDC = Token.erc20(EvmAddress.fromHex("0x" + "11".repeat(20)), "USDC", 6);

  private static PaymentException refused(PaymentException.Reason reason, org.junit.jupiter.api.function.Executable call) {
    PaymentException e = assertThrows(PaymentException.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  @Test
  void amountsBecomeExactBaseUnits() throws Exception {
    assertEquals(new BigInteger("12500000"), PaymentOrder.of("p1", BOB, USDC, "12.5").baseUnits());
    assertEquals(new BigInteger("1"), PaymentOrder.of("p1", BOB, Token.ETH, "0.000000000000000001").baseUnits());
    assertEquals(new BigInteger("1000000000000000000000"), PaymentOrder.of("p1", BOB, Token.ETH, "1000").baseUnits());
    assertEquals(new BigDecimal("12.5"), USDC.fromBaseUnits(new BigInteger("12500000")));
    assertEquals(new BigDecimal("3"), USDC.fromBaseUnits(new BigInteger("3000000")));
  }

  @Test
  void rejectsNonPositiveAndOverPreciseAmounts() {
    assertTrue(refused(PaymentException.Reason.INVALID_AMOUNT, () -> PaymentOrder.of("p", BOB, USDC, "-1")).getMessage().contains("positive"));
    refused(PaymentException.Reason.INVALID_AMOUNT, () -> PaymentOrder.of("p", BOB, USDC, "0"));
    refused(PaymentException.Reason.INVALID_AMOUNT, () -> PaymentOrder.of("p", BOB, USDC, "0.000"));
    assertTrue(refused(PaymentException.Reason.INVALID_AMOUNT, () -> PaymentOrder.of("p", BOB, USDC, "1.0000001")).getMessage()
        .contains("more than 6 decimal places"));
    refused(PaymentException.Reason.INVALID_AMOUNT, () -> PaymentOrder.of("p", BOB, Token.ETH, "0.0000000000000000001"));
    assertTrue(refused(PaymentException.Reason.INVALID_AMOUNT, () -> PaymentOrder.of("p", BOB, USDC, "12,5")).getMessage()
        .contains("not a decimal number"));
    refused(PaymentException.Reason.INVALID_AMOUNT, () -> PaymentOrder.of("p", BOB, USDC, "NaN"));
  }

  @Test
  void rejectsBadAddresses() {
    String wrongChecksum = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8";
    assertTrue(refused(PaymentException.Reason.INVALID_ADDRESS, () -> PaymentOrder.of("p", wrongChecksum, USDC, "1")).getMessage()
        .startsWith("recipient: "));
    refused(PaymentException.Reason.INVALID_ADDRESS, () -> PaymentOrder.of("p", "0x1234", USDC, "1"));
    refused(PaymentException.Reason.INVALID_ADDRESS, () -> PaymentOrder.of("p", "bob", USDC, "1"));
    assertTrue(refused(PaymentException.Reason.INVALID_ADDRESS, () -> PaymentOrder.of("p", "0x" + "00".repeat(20), USDC, "1"))
        .getMessage().contains("zero address"));
  }

  @Test
  void rejectsBadIds() {
    refused(PaymentException.Reason.INVALID_ID, () -> PaymentOrder.of("", BOB, USDC, "1"));
    refused(PaymentException.Reason.INVALID_ID, () -> PaymentOrder.of("has space", BOB, USDC, "1"));
    refused(PaymentException.Reason.INVALID_ID, () -> PaymentOrder.of("x".repeat(121), BOB, USDC, "1"));
    assertTrue(refused(PaymentException.Reason.INVALID_ID, () -> PaymentOrder.of("a\nb", BOB, USDC, "1")).getMessage().contains("a?b"));
  }

  @Test
  void fingerprintsIgnoreHowTheAmountIsWritten() throws Exception {
    assertEquals(PaymentOrder.of("p", BOB, USDC, "12.5").fingerprint(), PaymentOrder.of("p", BOB, USDC, "12.500000").fingerprint());
  }
}
