package io.chainseal.anchor;

import io.chainseal.chain.JournalException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Objects;

/**
 * The embedded default {@link AnchorJournal}: one SQLite file, in WAL mode with {@code synchronous=FULL},
 * so a write is on disk when its method returns. {@link #append} writes many messages in one
 * transaction, so the {@link Anchorer}'s group commit pays one sync per group, not per message.
 *
 * <p>One process at a time may use a journal file (for several instances sharing one journal, use
 * the PostgreSQL journal). Thread-safe: calls are serialized on one connection.
 */
public final class SqliteAnchorJournal extends JdbcAnchorJournal {
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        commitment BLOB NOT NULL,
        signer TEXT,
        signature BLOB,
        accepted_at INTEGER NOT NULL,
        batch_seq INTEGER,
        leaf_index INTEGER,
        UNIQUE (conversation_id, message_id));
      CREATE INDEX IF NOT EXISTS messages_unbatched ON messages (seq) WHERE batch_seq IS NULL;
      CREATE INDEX IF NOT EXISTS messages_by_batch ON messages (batch_seq, leaf_index);
      CREATE TABLE IF NOT EXISTS batches (
        sequence INTEGER PRIMARY KEY,
        root BLOB NOT NULL,
        tree_size INTEGER NOT NULL,
        previous_root BLOB NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        nonce INTEGER,
        tx_hash BLOB,
        raw_tx BLOB,
        chain_id INTEGER,
        contract TEXT,
        block_number INTEGER,
        block_hash BLOB,
        log_index INTEGER);
      CREATE TABLE IF NOT EXISTS batch_transactions (
        sequence INTEGER NOT NULL,
        nonce INTEGER NOT NULL,
        tx_hash BLOB NOT NULL,
        raw_tx BLOB NOT NULL,
        PRIMARY KEY (sequence, tx_hash));
      """;

  private static final Dialect DIALECT = new Dialect(
      "INSERT OR IGNORE INTO messages (conversation_id, message_id, commitment, signer, signature, accepted_at)"
          + " VALUES (?, ?, ?, ?, ?, ?)",
      "INSERT OR IGNORE INTO batch_transactions (sequence, nonce, tx_hash, raw_tx) VALUES (?, ?, ?, ?)",
      "rowid",
      Types.BLOB);

  private SqliteAnchorJournal(Path file, Connection connection) {
    super(file.toString(), connection, DIALECT);
  }

  /**
   * Opens (creating if needed) the journal file at {@code file}.
   *
   * @throws JournalException if the file cannot be opened or its schema created
   */
  public static SqliteAnchorJournal open(Path file) {
    Objects.requireNonNull(file, "file == null");
    try {
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=FULL");
        statement.execute("PRAGMA busy_timeout=10000");
        statement.execute("PRAGMA foreign_keys=ON");
        createSchema(statement, SCHEMA);
      }
      connection.setAutoCommit(false);
      connection.commit();
      return new SqliteAnchorJournal(file, connection);
    } catch (SQLException e) {
      throw new JournalException("cannot open journal " + file + ": " + e.getMessage(), e);
    }
  }
}
