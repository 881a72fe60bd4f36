package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.EvmAddress;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PaymentUriTest {
  private static final EvmAddress BOB = EvmAddress.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  private static final EvmAddress TOKEN = EvmAddress.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3");

  private static PaymentUriException refused(PaymentUriException.Reason reason, String uri) {
    PaymentUriException e = assertThrows(PaymentUriException.class, () -> PaymentUri.parse(uri));
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  @Test
  void parsesNativeRequestsAsEip681WritesThem() throws Exception {
    PaymentUri uri = PaymentUri.parse("ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8@1?value=2.014e18");
    assertEquals(BOB, uri.to());
    assertEquals(1L, uri.chainId());
    assertNull(uri.token());
    assertEquals(new BigInteger("2014000000000000000"), uri.amount());
    assertEquals(new BigInteger("5"), PaymentUri.parse("ethereum:pay-0x70997970C51812dc3A010C7d01b50e0d17dc79C8?value=5&gas=21000").amount());
    PaymentUri open = PaymentUri.parse("ethereum:0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    assertNull(open.amount());
    assertNull(open.chainId());
  }

  @Test
  void parsesErc20Transfers() throws Exception {
    PaymentUri uri = PaymentUri.parse("ethereum:0x5FbDB2315678afecb367f032d93F642f64180aa3@31337/transfer?address="
        + "0x70997970C51812dc3A010C7d01b50e0d17dc79C8&uint256=1e6");
    assertEquals(TOKEN, uri.token());
    assertEquals(BOB, uri.to());
    assertEquals(BigInteger.valueOf(1_000_000), uri.amount());
    PaymentOrder order = uri.toOrder("pay-it", Token.erc20(TOKEN, "USD", 6), 31337);
    assertEquals(new BigDecimal("1"), order.amount());
    assertEquals(PaymentException.Reason.UNKNOWN_TOKEN, assertThrows(PaymentException.class, () -> uri.toOrder("p", Token.ETH, 31337)).reason());
    assertEquals(PaymentException.Reason.WRONG_CHAIN,
        assertThrows(PaymentException.class, () -> uri.toOrder("p", Token.erc20(TOKEN, "USD", 6), 137)).reason(), "a request for another chain");
  }

  @Test
  void roundTripsItsOwnText() throws Exception {
    PaymentUri ether = PaymentUri.ether(BOB, 10, new BigInteger("123456789"));
    assertEquals("ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8@10?value=123456789", ether.toUri());
    assertEquals(ether, PaymentUri.parse(ether.toUri()));
    PaymentUri token = PaymentUri.token(TOKEN, BOB, 31337, BigInteger.TEN);
    assertEquals(token, PaymentUri.parse(token.toUri()));
  }

  @Test
  void refusesMalformedUrisWithAReason() {
    refused(PaymentUriException.Reason.MALFORMED, "bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    refused(PaymentUriException.Reason.MALFORMED, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?value");
    refused(PaymentUriException.Reason.MALFORMED, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?value=1%zz");
    refused(PaymentUriException.Reason.ENS_NOT_SUPPORTED, "ethereum:alice.eth?value=1");
    assertTrue(refused(PaymentUriException.Reason.INVALID_ADDRESS, "ethereum:0x70997970c51812dc3A010C7d01b50e0d17dc79C8?value=1")
        .getMessage().startsWith("target: "));
    refused(PaymentUriException.Reason.INVALID_ADDRESS, "ethereum:0x1234?value=1");
    refused(PaymentUriException.Reason.INVALID_ADDRESS, "ethereum:0x5FbDB2315678afecb367f032d93F642f64180aa3/transfer?address=0xabc&uint256=1");
    refused(PaymentUriException.Reason.INVALID_CHAIN_ID, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8@0?value=1");
    refused(PaymentUriException.Reason.INVALID_CHAIN_ID, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8@main?value=1");
    refused(PaymentUriException.Reason.UNSUPPORTED_FUNCTION, "ethereum:0x5FbDB2315678afecb367f032d93F642f64180aa3/approve?address="
        + "0x70997970C51812dc3A010C7d01b50e0d17dc79C8&uint256=1");
    refused(PaymentUriException.Reason.INVALID_NUMBER, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?value=-1");
    refused(PaymentUriException.Reason.INVALID_NUMBER, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?value=1.5");
    refused(PaymentUriException.Reason.INVALID_NUMBER, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?value=1e99");
    refused(PaymentUriException.Reason.INVALID_NUMBER, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?value=1e999999999");
    refused(PaymentUriException.Reason.INVALID_NUMBER, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?value=0x10");
    refused(PaymentUriException.Reason.INVALID_PARAMETER, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?value=1&value=2");
    refused(PaymentUriException.Reason.INVALID_PARAMETER, "ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?amount=1");
    refused(PaymentUriException.Reason.INVALID_PARAMETER, "ethereum:0x5FbDB2315678afecb367f032d93F642f64180aa3/transfer?uint256=1");
  }
}
