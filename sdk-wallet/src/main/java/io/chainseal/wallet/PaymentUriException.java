package io.chainseal.wallet;

import java.util.Objects;

/** An EIP-681 payment URI was refused. {@link #reason()} says why; the message names the part. */
public final class PaymentUriException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a payment URI was refused. */
  public enum Reason {
    /** Not an {@code ethereum:} URI, or its structure is broken. */
    MALFORMED,
    /** The target or an {@code address} parameter is not a valid address (or fails its EIP-55 checksum). */
    INVALID_ADDRESS,
    /** The target is an ENS name: resolving names is not supported (a name can be re-pointed). */
    ENS_NOT_SUPPORTED,
    /** The chain id is not a positive whole number. */
    INVALID_CHAIN_ID,
    /** A function other than ERC-20 {@code transfer}. */
    UNSUPPORTED_FUNCTION,
    /** A number is malformed, negative, fractional in the smallest unit, or absurdly large. */
    INVALID_NUMBER,
    /** A required parameter is missing, given twice, or one this library does not know. */
    INVALID_PARAMETER
  }

  private final Reason reason;

  public PaymentUriException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public Reason reason() {
    return reason;
  }
}
