package io.chainseal.chain.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leadership lock of a journal in PostgreSQL: a session advisory lock, keyed by a name and the
 * connection's schema, held on a connection of its own (with TCP keepalives, so the server frees it
 * within about half a minute if the holder's host vanishes). A follower asks for it on one standing
 * connection rather than a new one per poll. Thread-safe.
 */
public final class PostgresLeaderLock implements LeaderLock {
  private static final Logger log = LoggerFactory.getLogger(PostgresLeaderLock.class);
  private final String name;
  private final String key;
  private final JdbcJournal.Connector connector;
  private @Nullable Connection leadership;
  private @Nullable Connection standby;
  private int connectionsOpened;

  /**
   * @param name the journal's name, for messages
   * @param key what the lock is for ("chainseal-anchor", "chainseal-wallet"): one lock per key and schema
   * @param connector opens connections to the journal's database
   */
  public PostgresLeaderLock(String name, String key, JdbcJournal.Connector connector) {
    this.name = name;
    this.key = key;
    this.connector = connector;
  }

  /** Takes the lock if no other session holds it. */
  @Override
  public synchronized boolean acquire() throws SQLException {
    if (leadership != null) {
      release();
    }
    Connection candidate = standby;
    standby = null;
    for (int attempt = 1; ; attempt++) {
      if (candidate == null) {
        connectionsOpened++;
        candidate = connector.open();
        candidate.setAutoCommit(true);
        try (Statement statement = candidate.createStatement()) {
          // If this host vanishes (no FIN, no RST), the server must notice within about half a minute
          // and free the lock for a successor — not after the system's default two hours.
          statement.execute("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3");
        } catch (SQLException e) {
          closeQuietly(candidate);
          throw e;
        }
      }
      try (Statement statement = candidate.createStatement();
          ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(hashtext('" + key + ":' || current_schema()))")) {
        rs.next();
        if (rs.getBoolean(1)) {
          leadership = candidate;
          return true;
        }
        standby = candidate;
        return false;
      } catch (SQLException e) {
        closeQuietly(candidate);
        candidate = null;
        if (attempt == 2) {
          throw e;
        }
        // The standing connection broke (a database restart): one fresh connection, then give up.
      }
    }
  }

  /** Whether the lock is still held (its connection answers). */
  @Override
  public synchronized boolean held() {
    Connection lock = leadership;
    if (lock == null) {
      return false;
    }
    try (Statement statement = lock.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
      return rs.next();
    } catch (SQLException e) {
      log.warn("journal {}: the leadership lock's connection is gone ({})", name, JdbcJournal.redact(e.getMessage()));
      return false;
    }
  }

  /** Lets go of the lock (and of the standing connection). */
  @Override
  public synchronized void release() {
    Connection lock = leadership;
    leadership = null;
    if (lock != null) {
      // Unlock first, so that a successor can take the lead at once: the server ends a closed session
      // (and frees its locks) only some time after the client hung up.
      try (Statement statement = lock.createStatement()) {
        statement.execute("SELECT pg_advisory_unlock_all()");
      } catch (SQLException e) {
        log.debug("unlocking the lead of {} before closing its connection", name, e);
      }
      closeQuietly(lock); // closing the session releases the advisory lock in any case
    }
    Connection idle = standby;
    standby = null;
    if (idle != null) {
      closeQuietly(idle);
    }
  }

  /** How many connections were opened for the lock so far; for tests. */
  public synchronized int connectionsOpened() {
    return connectionsOpened;
  }

  private void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("closing a connection of {}", name, e);
    }
  }
}
