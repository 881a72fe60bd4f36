package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link TransactionSender} keeps what it must not lose: each intent, each signed attempt
 * <em>before</em> it is broadcast, and each change of state. Every method is durable when it returns;
 * a method that throws wrote nothing (or the write is repeated harmlessly: every method is idempotent).
 *
 * <p>A journal shared by several processes fences its writers: once another process leads it, every
 * write of this one throws {@link LeaseLostException}, so a zombie can sign nothing new.
 *
 * <p>Implementations: the anchor journals of sdk-anchor (SQLite, PostgreSQL) and the in-memory one of
 * the tests; each passes the contract suite {@code TransactionJournalContract}. Thread-safe.
 */
public interface TransactionJournal {
  /**
   * Stores a new intent, or returns the stored one with the same id.
   *
   * @throws IllegalStateException if an intent with this id exists for another request
   */
  TransactionIntent recordIntent(TransactionIntent intent);

  /** Records a signed attempt of intent {@code id} (the intent becomes SENT), before it is broadcast. */
  void recordAttempt(String id, SignedAttempt attempt);

  /** Retires attempt {@code hash} of intent {@code id}: it can never be mined (it reverted, or its nonce was taken). */
  void retireAttempt(String id, Hash32 hash, String reason);

  /** Records the intent's new state, where it was mined (MINED and CONFIRMED), and its revert count. */
  void recordState(String id, IntentState state, @Nullable MinedTransaction mined, int reverts);

  Optional<TransactionIntent> intent(String id);

  /** Intents of {@code sender} that are not CONFIRMED or FAILED, oldest first. */
  List<TransactionIntent> openIntents(EvmAddress sender);

  /**
   * Intents of {@code sender} that are CONFIRMED in a block at or above {@code fromBlock}, oldest
   * first: after a restart they are still watched for reorganizations.
   */
  List<TransactionIntent> confirmedSince(EvmAddress sender, long fromBlock);

  /** The highest nonce of any attempt {@code sender} ever signed. */
  OptionalLong highestNonce(EvmAddress sender);
}
