package io.chainseal.core;

import java.util.Objects;

/**
 * The outcome of checking a Merkle proof: valid, or invalid with a reason that names what failed
 * (and, for a root mismatch, the root computed from the proof and the root expected).
 *
 * @param valid whether the proof holds
 * @param reason {@code "ok"}, or why the proof fails
 */
public record ProofCheck(boolean valid, String reason) {
  private static final ProofCheck VALID = new ProofCheck(true, "ok");

  public ProofCheck {
    Objects.requireNonNull(reason, "reason == null");
  }

  static ProofCheck ok() {
    return VALID;
  }

  static ProofCheck fail(String reason) {
    return new ProofCheck(false, reason);
  }
}
