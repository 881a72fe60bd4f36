package io.chainseal.anchor;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.Hash32;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where an {@link Anchorer} keeps everything it must not lose: accepted messages, batches, the
 * signed transactions that anchor them, and their outcomes. Every method is durable when it returns:
 * after a crash, the journal says exactly what was accepted and how far each batch got.
 *
 * <p>Implementations: {@link SqliteAnchorJournal} (embedded, the default). A new implementation
 * proves itself by passing the contract test suite {@code AnchorJournalContract} in this module's
 * tests. Implementations must be thread-safe.
 */
public interface AnchorJournal extends AutoCloseable {
  /**
   * Appends the entries whose keys are new, in order, in one durable step.
   *
   * @return for each entry, in order, the commitment already stored under its key, or empty if the
   *     entry was new and is now stored
   */
  List<Optional<Hash32>> append(List<JournalEntry> entries);

  /** Up to {@code limit} messages not yet in a batch, in acceptance order. */
  List<JournalEntry> unbatched(int limit);

  /**
   * Stores a new batch in state {@link BatchRecord.State#CREATED} and assigns {@code members} to it
   * as leaves 0..n-1, atomically.
   *
   * @throws IllegalStateException if a batch with that sequence exists or a member is already batched
   */
  void createBatch(BatchRecord batch, List<MessageKey> members);

  /**
   * Records a signed transaction of batch {@code sequence} (state SENT), before it is broadcast. A
   * replacement (same nonce, higher fees) becomes the batch's current transaction; every one recorded
   * stays listed by {@link #transactions}, since any of them may be the one that gets mined.
   */
  void recordTransaction(long sequence, BatchRecord.SentTransaction transaction);

  /** Every transaction recorded for batch {@code sequence}, oldest first. */
  List<BatchRecord.SentTransaction> transactions(long sequence);

  /** Records where batch {@code sequence} was anchored (state ANCHORED), block hash included. */
  void recordAnchored(long sequence, AnchorReference anchor);

  /** Marks batch {@code sequence} confirmed. */
  void recordConfirmed(long sequence);

  /**
   * Records that batch {@code sequence}'s anchor was removed by a chain reorganization: the batch goes
   * back to SENT (its transactions kept, its anchor cleared) to be anchored again.
   */
  void recordReorged(long sequence);

  Optional<BatchRecord> batch(long sequence);

  /** Batches not yet confirmed, by sequence. */
  List<BatchRecord> unconfirmedBatches();

  /** The members of batch {@code sequence}, in leaf order. */
  List<JournalEntry> members(long sequence);

  Optional<StoredMessage> message(MessageKey key);

  /** The latest batch, if any. */
  Optional<BatchRecord> lastBatch();

  /** Batches with a sequence number above {@code sequence}, in order. */
  List<BatchRecord> batchesAfter(long sequence);

  /**
   * Tries to make the calling anchorer the one that batches, sends and confirms for this journal;
   * returns whether it leads now. Several anchorers may share a journal: all accept messages, one
   * leads, and when the leader dies another one takes over (journals that only one process can open
   * always return true). Once true, it stays true for this journal object.
   */
  default boolean tryLead() {
    return true;
  }

  /** The highest nonce of any recorded transaction. */
  OptionalLong lastNonce();

  /** Number of messages stored. */
  long messageCount();

  @Override
  void close();
}
