package io.chainseal.anchor;

/**
 * A chain operation failed: the RPC endpoint could not be reached or answered garbage (retryable), or
 * the node rejected the request (usually not). The message names the operation and the cause.
 */
public class ChainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public ChainException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public ChainException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether trying again later may succeed (transport errors, timeouts, malformed answers). */
  public boolean retryable() {
    return retryable;
  }
}
