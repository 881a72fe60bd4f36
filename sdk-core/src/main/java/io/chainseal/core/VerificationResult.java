package io.chainseal.core;

import java.util.Objects;

/**
 * A verdict and the human-readable reason for it, e.g. {@code TAMPERED: commitment mismatch: ...}.
 *
 * @param status the verdict
 * @param reason why, in words fit for a log line or a tooltip
 */
public record VerificationResult(VerificationStatus status, String reason) {
  public VerificationResult {
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(reason, "reason == null");
  }

  public static VerificationResult of(VerificationStatus status, String reason) {
    return new VerificationResult(status, reason);
  }

  public boolean isVerified() {
    return status.isVerified();
  }

  /**
   * Returns this result if it is verified.
   *
   * @throws VerificationException carrying the status and reason otherwise
   */
  public VerificationResult orThrow() throws VerificationException {
    if (!isVerified()) {
      throw new VerificationException(status, reason);
    }
    return this;
  }

  @Override
  public String toString() {
    return status + ": " + reason;
  }
}
