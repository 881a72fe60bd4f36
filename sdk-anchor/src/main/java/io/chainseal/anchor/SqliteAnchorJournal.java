package io.chainseal.anchor;

import io.chainseal.chain.JournalException;
import io.chainseal.chain.jdbc.JdbcJournal;
import io.chainseal.chain.jdbc.SqliteFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The embedded default {@link AnchorJournal}: one SQLite file, in WAL mode with {@code synchronous=FULL},
 * so a write is on disk when its method returns. {@link #append} writes many messages in one
 * transaction, so the {@link Anchorer}'s group commit pays one sync per group, not per message.
 *
 * <p>One process at a time: opening takes an exclusive lock on {@code <file>.lock} (held until
 * {@link #close()}), and a second opener — another process, or the same one — is refused. For several
 * instances sharing one journal, use {@link PostgresAnchorJournal}. Thread-safe: calls are serialized
 * on one connection.
 */
public final class SqliteAnchorJournal extends JdbcAnchorJournal {
  // messages_by_batch is partial: a message enters it when a batch takes it, not when it is journaled
  // (one index entry fewer per accepted message); "batch_seq = ?" implies the index's condition.
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        schema_version INTEGER NOT NULL,
        publisher TEXT,
        chain_id INTEGER,
        contract TEXT,
        leader_epoch INTEGER NOT NULL DEFAULT 0);
      INSERT OR IGNORE INTO meta (id, schema_version, leader_epoch) VALUES (1, 2, 0);
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
      CREATE INDEX IF NOT EXISTS messages_by_batch ON messages (batch_seq, leaf_index) WHERE batch_seq IS NOT NULL;
      CREATE TABLE IF NOT EXISTS batches (
        sequence INTEGER PRIMARY KEY,
        root BLOB NOT NULL,
        tree_size INTEGER NOT NULL,
        previous_root BLOB NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        chain_id INTEGER,
        contract TEXT,
        tx_hash BLOB,
        block_number INTEGER,
        block_hash BLOB,
        log_index INTEGER)
      """ + ";\n" + JdbcJournal.SQLITE_TRANSACTION_TABLES;


  private static final AnchorDialect DIALECT = new AnchorDialect(
      "INSERT OR IGNORE INTO messages (conversation_id, message_id, commitment, signer, signature, accepted_at)"
          + " VALUES (?, ?, ?, ?, ?, ?)",
      true,
      // Without the hint SQLite looks the rows up by batch_seq = NULL and sorts them all, for every look.
      "SELECT * FROM messages INDEXED BY messages_unbatched WHERE batch_seq IS NULL ORDER BY seq LIMIT ?",
      JdbcJournal.Dialect.SQLITE);

  private SqliteAnchorJournal(Path path, SqliteFile file, Connection connection) {
    super(path.toString(), file.connector(), connection, DIALECT, file);
  }

  /**
   * Empties the write-ahead log into the file and truncates it: the log still holds the pages written
   * before a forget, ids included. (In the file itself, {@code secure_delete} overwrote them.)
   */
  @Override
  void afterForget() {
    transaction("forget (truncating the write-ahead log)", false, c -> {
      c.commit();
      c.setAutoCommit(true);
      try (java.sql.Statement statement = c.createStatement();
          java.sql.ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        if (!rs.next() || rs.getInt(1) != 0) {
          throw new java.sql.SQLException("the write-ahead log was not truncated (a reader held it): the ids are forgotten"
              + " in the file; call forget again to truncate the log");
        }
      } finally {
        c.setAutoCommit(false);
      }
      return null;
    });
  }

  /**
   * Opens (creating if needed) the journal file at {@code file}, taking the exclusive lock of
   * {@code <file>.lock}.
   *
   * @throws JournalException if another process (or another journal object) has the file open, or it
   *     cannot be opened or its schema created
   */
  public static SqliteAnchorJournal open(Path file) {
    return SqliteFile.openJournal(file, "anchorer", connection -> {
      refuseOldLayout(connection, file.toString());
      try (Statement statement = connection.createStatement()) {
        createSchema(statement, SCHEMA);
      }
    }, (owned, first) -> new SqliteAnchorJournal(file, owned, first));
  }




}
