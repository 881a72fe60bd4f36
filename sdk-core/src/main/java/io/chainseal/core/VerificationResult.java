package io.chainseal.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A verdict and the human-readable reason for it, e.g. {@code TAMPERED: commitment mismatch: ...},
 * and — once the signature was looked at — whether it binds the message to its sender
 * ({@link #senderBinding()}) and which key signed ({@link #signer()}). Immutable.
 */
public final class VerificationResult {
  private final VerificationStatus status;
  private final String reason;
  private final @Nullable SenderBinding senderBinding;
  private final @Nullable SignerId signer;

  private VerificationResult(VerificationStatus status, String reason, @Nullable SenderBinding senderBinding,
      @Nullable SignerId signer) {
    this.status = Objects.requireNonNull(status, "status == null");
    this.reason = Objects.requireNonNull(reason, "reason == null");
    this.senderBinding = senderBinding;
    this.signer = signer;
  }

  /** A verdict that says nothing about the signature (it was not reached, or there is no message). */
  public static VerificationResult of(VerificationStatus status, String reason) {
    return new VerificationResult(status, reason, null, null);
  }

  /** A verdict with what was found about the signature. */
  public static VerificationResult of(VerificationStatus status, String reason, SenderBinding senderBinding,
      @Nullable SignerId signer) {
    return new VerificationResult(status, reason, Objects.requireNonNull(senderBinding, "senderBinding == null"), signer);
  }

  /** The same signature findings with another status and reason (used by verifiers that add checks). */
  public VerificationResult withVerdict(VerificationStatus status, String reason) {
    return new VerificationResult(status, reason, senderBinding, signer);
  }

  public VerificationStatus status() {
    return status;
  }

  /** Why, in words fit for a log line or a tooltip. */
  public String reason() {
    return reason;
  }

  /** Whether the signature binds the message to its sender; empty if the signature was not checked. */
  public Optional<SenderBinding> senderBinding() {
    return Optional.ofNullable(senderBinding);
  }

  /** The key that signed the message, if it was signed and the signature was checked. */
  public Optional<SignerId> signer() {
    return Optional.ofNullable(signer);
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
  public boolean equals(@Nullable Object o) {
    return o instanceof VerificationResult other && status == other.status && reason.equals(other.reason)
        && senderBinding == other.senderBinding && Objects.equals(signer, other.signer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, reason, senderBinding, signer);
  }

  @Override
  public String toString() {
    return status + ": " + reason;
  }
}
