package io.chainseal.anchor;

import io.chainseal.chain.LeaseLostException;
import io.chainseal.chain.TransactionJournal;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.Hash32;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where {@link Anchorer}s keep everything they must not lose: accepted messages, batches, and — as a
 * {@link TransactionJournal} — every anchoring transaction, signed before it is broadcast. Every
 * method is durable when it returns; a method that throws wrote nothing, and every write is
 * idempotent, so a caller may repeat it after a failure.
 *
 * <p><b>Several processes, one leader.</b> Any number of anchorers may append messages; one at a time
 * leads ({@link #tryLead()}): only the leader's batch and transaction writes are accepted. Taking the
 * lead increments the journal's leader epoch, and every leader write is conditioned on the epoch it
 * holds, in the same database transaction — so a former leader that still runs (a zombie whose lock
 * connection dropped) gets {@link LeaseLostException} for its first write and can sign nothing new.
 *
 * <p><b>One owner.</b> {@link #bind} ties the journal to one publisher, chain and contract for good.
 *
 * <p>Implementations: {@link SqliteAnchorJournal} (embedded, one process) and
 * {@link PostgresAnchorJournal} (several processes, survives a database restart). A new one proves
 * itself by passing the contract suites {@code AnchorJournalContract} and {@code TransactionJournalContract}.
 * Thread-safe.
 */
public interface AnchorJournal extends TransactionJournal, AutoCloseable {
  /**
   * Records whose anchors this journal holds on first use; later, from any process, checks it.
   *
   * @throws io.chainseal.chain.JournalException (not retryable) if the journal belongs to another
   *     publisher, chain or contract
   */
  void bind(JournalIdentity identity);

  /**
   * Appends the entries whose keys are new, in order, in one durable step, stamping each with the
   * journal's clock (so that instances on several machines agree on acceptance times).
   *
   * @return for each entry, in order, the commitment already stored under its key, or empty if the
   *     entry was new and is now stored
   */
  List<Optional<Hash32>> append(List<JournalEntry> entries);

  /**
   * How many {@link #append} calls may usefully run at once (each on a connection of its own); an
   * {@link Anchorer} runs that many journal writers. 1 unless the journal says otherwise.
   */
  default int concurrentAppends() {
    return 1;
  }

  /**
   * Up to {@code limit} messages not yet in a batch, in the journal's order (the order appends
   * committed their rows: submissions that waited for each other keep their order; concurrent ones
   * may interleave), with the journal's acceptance times.
   */
  List<JournalEntry> unbatched(int limit);

  /** The journal's clock (the database's for a shared journal). */
  Instant now();

  /**
   * Tries to make this journal object the leader's: returns whether it leads now. Takes the lead only
   * if no other process holds it, and then increments the leader epoch. Idempotent while leading.
   */
  boolean tryLead();

  /**
   * Whether this journal object still leads: its lock is held and the epoch is still its own. False
   * also drops the lead, so every further leader write throws {@link LeaseLostException}.
   */
  boolean stillLeads();

  /** The epoch this journal object leads with, or -1 if it does not lead. */
  long leaderEpoch();

  /** Gives up the lead (an anchorer that closes, or that refuses to lead from this journal). Idempotent. */
  void stepDown();

  /**
   * Stores a new batch in state CREATED and assigns {@code members} to it as leaves 0..n-1, atomically.
   * Repeating the call for the same batch (same root and members) does nothing.
   *
   * @throws IllegalStateException if another batch with that sequence exists or a member is already batched
   * @throws LeaseLostException if this journal object does not lead
   */
  void createBatch(BatchRecord batch, List<MessageKey> members);

  /** Batch {@code sequence}'s anchoring intent is submitted (CREATED → SENT). Leader only. */
  void recordSent(long sequence);

  /**
   * Records where batch {@code sequence} was anchored (→ ANCHORED), block hash included. Leader only.
   * A CONFIRMED batch told the same anchor stays CONFIRMED; told another one (mined again elsewhere
   * after a reorganization) it becomes ANCHORED there.
   */
  void recordAnchored(long sequence, AnchorReference anchor);

  /** Marks batch {@code sequence} confirmed (ANCHORED → CONFIRMED). Leader only. */
  void recordConfirmed(long sequence);

  /** A reorganization removed batch {@code sequence}'s anchor (→ SENT, anchor cleared). Leader only. */
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

  /** The latest confirmed batch, if any: the chain's history is consistent with the journal up to it. */
  Optional<BatchRecord> lastConfirmedBatch();

  /** Number of messages stored. */
  long messageCount();

  /**
   * Removes what identifies erased messages (GDPR erasure): for each key stored with the given
   * commitment in a confirmed batch, its conversation and message ids are replaced by an empty
   * conversation id and the commitment's hex and row number, and its signer and signature are cleared
   * (reported as {@link MessageKey#forgotten}). The
   * commitment, batch and leaf stay: the other messages' proofs need them. Idempotent; any instance
   * may call it.
   *
   * @param erased the keys to forget, each with the commitment it must be stored with (a key stored
   *     with another commitment is left alone)
   * @return the keys that are stored with their commitment but whose batch is not confirmed yet: they
   *     are not forgotten; forget them again once anchored
   */
  List<MessageKey> forget(java.util.Map<MessageKey, Hash32> erased);

  @Override
  void close();
}
