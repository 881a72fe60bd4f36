package io.chainseal.chain.internal;

import io.chainseal.chain.ChainException.Kind;
import java.util.Locale;

/**
 * Classifies a node's JSON-RPC error into a {@link Kind}, once, in the adapter. Nodes spell the same
 * condition differently (geth, Erigon, Nethermind, Besu, Reth, Anvil and hosted endpoints), so this is
 * a table of the phrases they use, checked by {@code NodeErrorsTest}. Not API.
 */
public final class NodeErrors {
  private NodeErrors() {}

  public static Kind classify(long code, String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (code == 429 || code == -32005 || m.contains("rate limit") || m.contains("too many requests")
        || m.contains("query returned more than") || m.contains("limit exceeded") || m.contains("block range")
        || m.contains("range is too") || m.contains("exceed maximum block range")) {
      return Kind.RATE_LIMITED;
    }
    if (m.contains("nonce too low") || m.contains("nonce is too low") || m.contains("oldnonce")
        || m.contains("nonce has already been used") || m.contains("transaction nonce is lower")) {
      return Kind.NONCE_TOO_LOW;
    }
    if (m.contains("replacement transaction underpriced") || m.contains("replacement fee too low")
        || m.contains("replacement underpriced")) {
      return Kind.REPLACEMENT_UNDERPRICED;
    }
    if (m.contains("already known") || m.contains("known transaction") || m.contains("already imported")
        || m.contains("alreadyknown") || m.contains("already in the pool") || m.contains("already exists")) {
      return Kind.ALREADY_KNOWN;
    }
    if (m.contains("underpriced") || m.contains("less than block base fee") || m.contains("fee too low")
        || m.contains("max fee per gas less than") || m.contains("feecap") || m.contains("fee cap")
        || m.contains("gas price too low") || m.contains("tip too low") || m.contains("maxfeepergas too low")
        || m.contains("feetoolow")) {
      return Kind.FEE_TOO_LOW;
    }
    if (m.contains("insufficient funds") || m.contains("insufficient balance")) {
      return Kind.INSUFFICIENT_FUNDS;
    }
    if (code == 3 || m.contains("execution reverted") || m.contains("revert")) {
      return Kind.REVERTED;
    }
    if (code == -32601 || m.contains("method not found") || m.contains("not supported") || m.contains("unsupported")
        || m.contains("does not exist/is not available") || m.contains("unknown block tag")) {
      return Kind.UNSUPPORTED;
    }
    if (m.contains("timeout") || m.contains("timed out") || m.contains("header not found")
        || m.contains("service unavailable") || m.contains("internal error")) {
      return Kind.UNREACHABLE;
    }
    return Kind.REJECTED;
  }
}
