package io.chainseal.wallet;

/** Where a payment is, as its journal and the chain say. */
public enum PaymentStatus {
  /** Recorded; no transaction signed yet. */
  REQUESTED,
  /** A signed transaction was journaled and broadcast; not mined yet (or removed by a reorganization). */
  BROADCAST,
  /** Mined with status 1, fewer confirmations than required so far. */
  MINED,
  /** Mined and confirmed: final. */
  FINAL,
  /** Given up (its transfer reverted again and again, or its nonce was taken by another transaction): nothing moved. */
  FAILED,
  /** Cancelled: nothing was sent, or a zero-value transaction to itself took the payment's nonce. Nothing moved. */
  CANCELLED;

  /** Whether nothing more will happen to the payment on its own. */
  public boolean isDone() {
    return this == FINAL || this == FAILED || this == CANCELLED;
  }
}
