package io.chainseal.chain.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which database errors make the journal run a transaction again: only those that undid it whole. */
class TransientConflictTest {
  @Test
  void aDeadlockOrSerializationFailureIsRunAgain() {
    assertTrue(JdbcJournal.isTransientConflict(new SQLException("deadlock detected", "40P01")));
    assertTrue(JdbcJournal.isTransientConflict(new SQLException("could not serialize access", "40001")));
  }

  @Test
  void aConflictFurtherDownTheChainCounts() {
    SQLException batch = new SQLException("batch entry 3 was aborted", "22000");
    batch.setNextException(new SQLException("deadlock detected", "40P01"));
    assertTrue(JdbcJournal.isTransientConflict(batch));
  }

  @Test
  void otherErrorsAreNotRunAgain() {
    assertFalse(JdbcJournal.isTransientConflict(new SQLException("duplicate key", "23505")));
    assertFalse(JdbcJournal.isTransientConflict(new SQLException("connection refused", "08001")));
    assertFalse(JdbcJournal.isTransientConflict(new SQLException("no state")));
  }
}
