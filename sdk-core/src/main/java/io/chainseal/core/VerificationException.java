package io.chainseal.core;

/** Thrown by {@link VerificationResult#orThrow()} when a message does not verify. */
public final class VerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final VerificationStatus status;

  public VerificationException(VerificationStatus status, String reason) {
    super(status + ": " + reason);
    this.status = status;
  }

  public VerificationStatus status() {
    return status;
  }
}
