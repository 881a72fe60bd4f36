package io.chainseal.wallet;

import io.chainseal.chain.TransactionJournal;
import io.chainseal.core.EvmAddress;
import java.util.List;
import java.util.Optional;

/**
 * Where {@link Payments} keeps what it must not lose: every payment order, recorded under its id
 * before anything is signed, and — as the shared {@link TransactionJournal} — each transaction's signed
 * bytes before they are broadcast. Every method is durable when it returns. Thread-safe.
 *
 * <p>Implementations: {@link SqliteWalletJournal} (one process per file) and
 * {@link PostgresWalletJournal} (several instances, one leading at a time).
 */
public interface WalletJournal extends TransactionJournal, AutoCloseable {
  /**
   * Takes the lead of the journal for this instance if no other instance holds it: only the leader
   * records payments and signs. Idempotent.
   *
   * @return whether this instance leads now
   */
  boolean tryLead();

  /** Whether this instance still leads (its lock and epoch are current). */
  boolean stillLeads();
  /**
   * Records {@code payment} unless a payment with its id is recorded.
   *
   * @return the payment recorded earlier under the id (which the caller compares with its order), or
   *     empty if {@code payment} was recorded now
   */
  Optional<StoredPayment> recordPayment(StoredPayment payment);

  /** The payment recorded under {@code paymentId}. */
  Optional<StoredPayment> payment(String paymentId);

  /** Every payment of {@code from}, oldest first. */
  List<StoredPayment> payments(EvmAddress from);

  @Override
  void close();
}
