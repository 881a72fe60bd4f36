package io.chainseal.chain;

import java.util.Objects;

/** An intent was given up: it reverted as often as allowed, or the chain holds a conflicting effect. */
public final class TransactionFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an intent was given up. */
  public enum Reason {
    /** Its transactions reverted {@code maxReverts} times; {@link TransactionSender#retry} once the cause is gone. */
    REVERTED,
    /**
     * The chain already holds a different effect in its place (the {@link AppliedCheck} found one): the
     * sender's journal does not describe the chain. Sending anything more from that journal is unsafe.
     */
    CONFLICT,
    /** Cancelled at the caller's request ({@link TransactionSender#cancel}): its effect never happened. */
    CANCELLED
  }

  private final String intentId;
  private final Reason reason;

  public TransactionFailedException(String intentId, Reason reason, String detail) {
    super("transaction " + intentId + " failed (" + reason + "): " + detail);
    this.intentId = Objects.requireNonNull(intentId, "intentId == null");
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public String intentId() {
    return intentId;
  }

  public Reason reason() {
    return reason;
  }
}
