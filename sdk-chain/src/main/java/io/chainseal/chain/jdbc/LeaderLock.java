package io.chainseal.chain.jdbc;

import java.sql.SQLException;

/**
 * How a {@link JdbcJournal}'s instance holds the lead of its database: a SQLite file lock (the process
 * that has the file open leads) or a PostgreSQL advisory lock (one of several instances). Used under its
 * journal's lock.
 */
public interface LeaderLock {
  /** Takes the lock, if no other process or instance holds it. */
  boolean acquire() throws SQLException;

  /** Whether the lock is still held. */
  boolean held();

  /** Lets go of the lead (a lock that also keeps other processes out may stay until {@link #close()}). */
  void release();

  /** Lets go of everything the lock holds, when its journal closes. */
  default void close() {
    release();
  }
}
