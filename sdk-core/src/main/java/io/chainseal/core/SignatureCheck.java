package io.chainseal.core;

import java.util.Objects;

/**
 * The outcome of checking a {@link MessageSignature}: valid, or invalid with the reason.
 *
 * @param valid whether the signature is by the claimed signer over the commitment
 * @param reason {@code "ok"}, or what failed
 */
public record SignatureCheck(boolean valid, String reason) {
  public SignatureCheck {
    Objects.requireNonNull(reason, "reason == null");
  }

  static SignatureCheck ok() {
    return new SignatureCheck(true, "ok");
  }

  static SignatureCheck fail(String reason) {
    return new SignatureCheck(false, reason);
  }
}
