package io.chainseal.anchor;

import java.util.concurrent.TimeoutException;

/**
 * {@link PendingProof#await} ran out of time. The message says which message and where it is: not yet
 * batched, in which batch, mined in which block with how many of how many confirmations, and whether the
 * chain has stopped making blocks.
 */
public final class ProofTimeoutException extends TimeoutException {
  private static final long serialVersionUID = 1L;

  /** A timeout described by {@code message}. */
  public ProofTimeoutException(String message) {
    super(message);
  }
}
