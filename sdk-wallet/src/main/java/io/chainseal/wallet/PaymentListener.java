package io.chainseal.wallet;

import io.chainseal.core.Hash32;

/**
 * Hears what happens to payments: requested → broadcast → confirmations(n) → final, or a revert, a
 * reorganization or a failure. Called on the payments service's own thread: keep callbacks short and
 * hand real work elsewhere. A listener's exception is logged and otherwise ignored.
 */
public interface PaymentListener {
  /** The order was recorded (a new payment id). */
  default void onRequested(Payment payment) {}

  /** A transaction of the payment was signed, journaled and is being broadcast (a replacement at a higher fee too). */
  default void onBroadcast(Payment payment, Hash32 transaction) {}

  /** The payment's transaction is {@code depth} blocks deep (1 = just mined). */
  default void onConfirmations(Payment payment, int depth) {}

  /** The payment has the required confirmations: final. */
  default void onFinal(Payment payment) {}

  /** A transaction of the payment reverted (nothing moved); it is tried again, or given up. */
  default void onReverted(Payment payment, Hash32 transaction) {}

  /** The payment's block was removed by a reorganization; its transaction is broadcast again. */
  default void onReorged(Payment payment) {}

  /** The payment was given up: nothing moved. */
  default void onFailed(Payment payment, String why) {}
}
