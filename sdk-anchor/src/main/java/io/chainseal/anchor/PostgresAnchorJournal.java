package io.chainseal.anchor;

import io.chainseal.chain.JournalException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AnchorJournal} in PostgreSQL, for operators who keep their state in a database server and
 * for several anchorer processes sharing one journal ({@link #tryLead}). It passes the same contract
 * suite as {@link SqliteAnchorJournal}; every method commits before it returns. Needs the PostgreSQL
 * JDBC driver ({@code org.postgresql:postgresql}) on the class path. Thread-safe: calls are serialized
 * on one connection.
 */
public final class PostgresAnchorJournal extends JdbcAnchorJournal {
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS messages (
        seq BIGSERIAL PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        commitment BYTEA NOT NULL,
        signer TEXT,
        signature BYTEA,
        accepted_at BIGINT NOT NULL,
        batch_seq BIGINT,
        leaf_index BIGINT,
        UNIQUE (conversation_id, message_id));
      CREATE INDEX IF NOT EXISTS messages_unbatched ON messages (seq) WHERE batch_seq IS NULL;
      CREATE INDEX IF NOT EXISTS messages_by_batch ON messages (batch_seq, leaf_index);
      CREATE TABLE IF NOT EXISTS batches (
        sequence BIGINT PRIMARY KEY,
        root BYTEA NOT NULL,
        tree_size BIGINT NOT NULL,
        previous_root BYTEA NOT NULL,
        state TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        nonce BIGINT,
        tx_hash BYTEA,
        raw_tx BYTEA,
        chain_id BIGINT,
        contract TEXT,
        block_number BIGINT,
        block_hash BYTEA,
        log_index BIGINT);
      CREATE TABLE IF NOT EXISTS batch_transactions (
        sequence BIGINT NOT NULL,
        nonce BIGINT NOT NULL,
        tx_hash BYTEA NOT NULL,
        raw_tx BYTEA NOT NULL,
        position BIGSERIAL,
        PRIMARY KEY (sequence, tx_hash));
      """;

  private static final Dialect DIALECT = new Dialect(
      "INSERT INTO messages (conversation_id, message_id, commitment, signer, signature, accepted_at)"
          + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, message_id) DO NOTHING",
      "INSERT INTO batch_transactions (sequence, nonce, tx_hash, raw_tx) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "position",
      Types.BINARY);

  private final String url;
  private @Nullable Connection leadership;

  private PostgresAnchorJournal(String name, String url, Connection connection) {
    super(name, connection, DIALECT);
    this.url = url;
  }

  /**
   * Connects to {@code jdbcUrl} (e.g. {@code jdbc:postgresql://db:5432/chat?user=anchor}) and creates
   * the journal's tables in the connection's schema if they are missing.
   *
   * @throws JournalException if the database cannot be reached or the schema created
   */
  public static PostgresAnchorJournal open(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl == null");
    String where = jdbcUrl.replaceAll("password=[^&]*", "password=***");
    try {
      Connection connection = DriverManager.getConnection(jdbcUrl);
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(727365)"); // two first starts must not race on the DDL
        createSchema(statement, SCHEMA);
      }
      connection.commit();
      return new PostgresAnchorJournal(where, jdbcUrl, connection);
    } catch (SQLException e) {
      throw new JournalException("cannot open journal " + where + ": " + e.getMessage(), e);
    }
  }

  /**
   * Leadership is a session-level advisory lock held on a connection of its own: if this process dies,
   * its connection drops, the lock is released, and another anchorer's next {@code tryLead} wins.
   */
  @Override
  public synchronized boolean tryLead() {
    if (leadership != null) {
      return true;
    }
    try {
      Connection candidate = DriverManager.getConnection(url);
      try (Statement statement = candidate.createStatement();
          ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(hashtext('chainseal-anchor:' || current_schema()))")) {
        rs.next();
        if (rs.getBoolean(1)) {
          leadership = candidate;
          return true;
        }
      }
      candidate.close();
      return false;
    } catch (SQLException e) {
      throw new JournalException("tryLead failed on " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (leadership != null) {
        leadership.close();
      }
    } catch (SQLException e) {
      throw new JournalException("cannot close journal " + name, e);
    } finally {
      super.close();
    }
  }
}
