package io.chainseal.chain;

/**
 * Hears what happens to intents, on the sender's own thread: keep callbacks short, hand real work
 * elsewhere. Exceptions thrown by a listener are logged and otherwise ignored — except
 * {@link LeaseLostException}, which stops the sender.
 */
public interface TransactionListener {
  /** A new attempt was journaled and is about to be broadcast. */
  default void onAttempt(TransactionIntent intent, SignedAttempt attempt) {}

  /** An attempt was mined with status 1. */
  default void onMined(TransactionIntent intent, ChainReceipt receipt) {}

  /**
   * The mined attempt is {@code depth} blocks deep (1 = in the head block), told once per new depth
   * until it has the sender's confirmations; {@link #onConfirmed} follows the last.
   */
  default void onConfirmations(TransactionIntent intent, ChainReceipt receipt, int depth) {}

  /** The mined attempt has enough confirmations. */
  default void onConfirmed(TransactionIntent intent, ChainReceipt receipt) {}

  /** The mined attempt was removed by a reorganization; the intent is being sent again. */
  default void onReorged(TransactionIntent intent, MinedTransaction former) {}

  /** An attempt reverted; the intent is retried, or FAILED once reverts reach the maximum. */
  default void onReverted(TransactionIntent intent, ChainReceipt receipt) {}

  /** The intent was given up ({@link TransactionFailedException#reason()} says why); an operator must look. */
  default void onFailed(TransactionIntent intent, TransactionFailedException failure) {}

  /** Something went wrong that the sender rides out (an unreachable node, a refused broadcast). */
  default void onError(String what, Throwable error) {}
}
