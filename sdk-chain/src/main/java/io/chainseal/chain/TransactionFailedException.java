package io.chainseal.chain;

/** An intent was given up (it reverted as often as allowed, or the chain holds a conflicting effect). */
public final class TransactionFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String intentId;

  public TransactionFailedException(String intentId, String reason) {
    super("transaction " + intentId + " failed: " + reason);
    this.intentId = intentId;
  }

  public String intentId() {
    return intentId;
  }
}
