package io.chainseal.chain;

/** The {@link TransactionJournalContract} on the in-memory journal the fast tests use. */
class InMemoryTransactionJournalTest extends TransactionJournalContract {
  @Override
  protected TransactionJournal journal() {
    return new InMemoryTransactionJournal();
  }
}
