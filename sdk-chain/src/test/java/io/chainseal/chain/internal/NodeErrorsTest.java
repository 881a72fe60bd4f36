package io.chainseal.chain.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.chainseal.chain.ChainException.Kind;
import org.junit.jupiter.api.Test;

/** Node error messages as geth, Erigon, Nethermind, Besu, Reth, Anvil and hosted endpoints write them, and their kinds. */
class NodeErrorsTest {
  private static void assertKind(Kind expected, long code, String message) {
    assertEquals(expected, NodeErrors.classify(code, message), message);
  }

  @Test
  void nonceUnderpricedAndKnownAreTypedKinds() {
    assertKind(Kind.NONCE_TOO_LOW, -32000, "nonce too low");
    assertKind(Kind.NONCE_TOO_LOW, -32000, "nonce too low: next nonce 5, tx nonce 3");
    assertKind(Kind.NONCE_TOO_LOW, -32010, "Nonce is too low");
    assertKind(Kind.NONCE_TOO_LOW, -32000, "OldNonce");
    assertKind(Kind.REPLACEMENT_UNDERPRICED, -32000, "replacement transaction underpriced");
    assertKind(Kind.REPLACEMENT_UNDERPRICED, -32000, "Replacement transaction underpriced");
    assertKind(Kind.FEE_TOO_LOW, -32000, "transaction underpriced");
    assertKind(Kind.FEE_TOO_LOW, -32000, "max fee per gas less than block base fee: address 0x.., maxFeePerGas: 1 baseFee: 7");
    assertKind(Kind.FEE_TOO_LOW, -32003, "FeeTooLow");
    assertKind(Kind.ALREADY_KNOWN, -32000, "already known");
    assertKind(Kind.ALREADY_KNOWN, -32010, "AlreadyKnown");
    assertKind(Kind.ALREADY_KNOWN, -32000, "Known transaction");
    assertKind(Kind.INSUFFICIENT_FUNDS, -32000, "insufficient funds for gas * price + value");
    assertKind(Kind.REVERTED, 3, "execution reverted: NotAllowed");
    assertKind(Kind.REVERTED, -32000, "execution reverted");
  }

  @Test
  void limitsAreRetryableAndUnsupportedIsNot() {
    assertKind(Kind.RATE_LIMITED, 429, "Too Many Requests");
    assertKind(Kind.RATE_LIMITED, -32005, "query returned more than 10000 results");
    assertKind(Kind.RATE_LIMITED, -32602, "eth_getLogs block range is too large, max 2000");
    assertKind(Kind.RATE_LIMITED, -32000, "exceed maximum block range: 5000");
    assertKind(Kind.UNSUPPORTED, -32601, "the method eth_foo does not exist/is not available");
    assertKind(Kind.UNSUPPORTED, -32602, "unknown block tag finalized");
    assertKind(Kind.UNREACHABLE, -32000, "header not found");
    assertKind(Kind.REJECTED, -32000, "intrinsic gas too low");
    assertFalse(Kind.REJECTED.retryable());
  }

  @Test
  void endpointsLoseTheirSecretsInMessages() {
    assertEquals("https://mainnet.infura.io/…", Endpoints.redact("https://mainnet.infura.io/v3/0123456789abcdef"));
    assertEquals("https://rpc.example.org:8545/…", Endpoints.redact("https://user:secret@rpc.example.org:8545/?apikey=K"));
    assertEquals("http://127.0.0.1:8545", Endpoints.redact("http://127.0.0.1:8545"));
    assertEquals("http://127.0.0.1:8545", Endpoints.redact("http://127.0.0.1:8545/"));
    assertEquals("<endpoint>", Endpoints.redact("not a url with spaces"));
    assertEquals("https://***.quiknode.pro/…", Endpoints.redact("https://a1b2c3d4e5f6a7b8.quiknode.pro/token/"));
    assertEquals("https://***.rpc.example", Endpoints.redact("https://0123456789abcdef0123456789abcdef.rpc.example"));
    assertEquals("https://eth-mainnet.g.alchemy.com/…", Endpoints.redact("https://eth-mainnet.g.alchemy.com/v2/KEY"));
    assertEquals("https://polygon-mainnet.infura.io", Endpoints.redact("https://polygon-mainnet.infura.io"));
  }
}
