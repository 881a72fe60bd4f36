package io.chainseal.chain;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * A chain operation failed. {@link #kind()} says how, classified once in the adapter that talked to
 * the node — callers switch on kinds, never on message text. {@link #retryable()} says whether trying
 * again later may succeed. Messages name the operation and the endpoint (its URL redacted: no path,
 * query or credentials, which often carry API keys).
 */
public class ChainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How a chain operation failed. */
  public enum Kind {
    /** The endpoint could not be reached, timed out, or dropped the connection. Retryable. */
    UNREACHABLE(true),
    /** The endpoint refused for load (HTTP 429, rate or result limits). Retryable. */
    RATE_LIMITED(true),
    /** The answer could not be decoded, or contradicted the request. Retryable. */
    MALFORMED_ANSWER(true),
    /** The endpoint serves another chain than the one expected. */
    WRONG_CHAIN(false),
    /** The transaction's nonce is already used by a mined transaction of its sender. */
    NONCE_TOO_LOW(false),
    /** A pending transaction with this nonce exists, and these fees are not enough (~10 % more) to replace it. */
    REPLACEMENT_UNDERPRICED(false),
    /** The fees are below what the chain accepts now (base fee, minimum tip). */
    FEE_TOO_LOW(false),
    /** The node already has this very transaction. */
    ALREADY_KNOWN(false),
    /** The sender cannot pay for gas and value. */
    INSUFFICIENT_FUNDS(false),
    /** Execution reverted (in {@code eth_estimateGas} or {@code eth_call}, or a mined transaction with status 0). */
    REVERTED(false),
    /** The node does not support the method or a parameter (e.g. the {@code finalized} block tag). */
    UNSUPPORTED(false),
    /** The node rejected the request for another reason. */
    REJECTED(false),
    /** The calling thread was interrupted. */
    INTERRUPTED(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;

  public ChainException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind == null");
  }

  public ChainException(Kind kind, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind == null");
  }

  public Kind kind() {
    return kind;
  }

  /** Whether trying again later may succeed (transport errors, timeouts, rate limits, malformed answers). */
  public boolean retryable() {
    return kind.retryable();
  }
}
