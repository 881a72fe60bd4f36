package io.chainseal.anchor;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.Hash32;

/**
 * Hears what an {@link Anchorer} does with batches. Called on the anchorer's threads: return quickly.
 * Exceptions thrown by a listener are logged and ignored.
 */
public interface AnchorListener {
  /** A batch closed: its members and root are fixed and journaled (its proofs are pending). */
  default void onBatchCreated(long sequence, Hash32 root, int size) {}

  /** The batch's anchoring transaction was broadcast. */
  default void onBatchSent(long sequence, Hash32 transactionHash) {}

  /** The anchoring transaction was mined. */
  default void onBatchAnchored(long sequence, AnchorReference anchor) {}

  /**
   * A chain reorganization removed or moved the batch's anchor. Proofs issued for it will now verify
   * as {@code REORGED}; the batch is anchored again, and {@link #onBatchConfirmed} follows with the
   * re-issued proofs (fetch them with {@link Anchorer#proof}).
   */
  default void onBatchReorged(long sequence, AnchorReference formerAnchor) {}

  /** The batch has the required confirmations; its proofs are complete. */
  default void onBatchConfirmed(long sequence, int size) {}

  /** Something failed and will be retried (the journal keeps everything). */
  default void onError(String what, Throwable error) {}
}
