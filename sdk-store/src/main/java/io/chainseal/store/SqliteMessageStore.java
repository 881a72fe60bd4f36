package io.chainseal.store;

import io.chainseal.core.KeyProvider;
import io.chainseal.core.MessageStore;
import io.chainseal.core.Signer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Objects;

/**
 * A {@link MessageStore} in one SQLite file, the embedded default. Each message's envelope and salt are
 * encrypted with AES-256-GCM under the data key of its (conversation, sender) pair, bound as associated
 * data to its ids, sender and commitment; data keys are stored only wrapped by the {@link KeyProvider}.
 * No plaintext content or salt is ever written. Erasing a message deletes its ciphertext and sender;
 * erasing a sender or a conversation also deletes the wrapped data keys. Deleted bytes are overwritten
 * in the database file ({@code secure_delete}) and the write-ahead log is truncated after every erasure
 * (and on opening, should a crash have come between), so the current file holds nothing readable of
 * what was erased. A copy of the file taken <em>before</em> an erasure still holds the wrapped keys,
 * which the key-encryption key unwraps: keep backups under keys you can destroy. Every erasure's
 * signed receipt is kept in the file with it ({@link #receipts()}). One instance owns the file
 * (SQLite's exclusive locking): a second one is refused; several instances share a
 * {@link PostgresMessageStore}. Thread-safe: one connection, calls serialized.
 */
public final class SqliteMessageStore extends JdbcMessageStore {
  private SqliteMessageStore(Connection connection, KeyProvider keys, Signer operator, Clock clock, String name) {
    super(connection, null, new Dialect("", ""), keys, operator, clock, name);
  }

  /**
   * Opens (or creates) the store in {@code file}.
   *
   * @param keys wraps the data keys
   * @param operator signs erasure receipts
   * @throws StoreException if the file cannot be opened
   */
  public static SqliteMessageStore open(Path file, KeyProvider keys, Signer operator) {
    return open(file, keys, operator, Clock.systemUTC());
  }

  /** As {@link #open(Path, KeyProvider, Signer)}, with the clock that dates erasures. */
  public static SqliteMessageStore open(Path file, KeyProvider keys, Signer operator, Clock clock) {
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(keys, "keys == null");
    Objects.requireNonNull(operator, "operator == null");
    Objects.requireNonNull(clock, "clock == null");
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement statement = c.createStatement()) {
        // One instance owns the file: a second one (or a backup tool reading it live) would keep its
        // own cache of data keys, and would stop the write-ahead log from being truncated on erasure.
        statement.execute("PRAGMA busy_timeout=1000");
        statement.execute("PRAGMA locking_mode=EXCLUSIVE");
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=FULL");
        statement.execute("PRAGMA secure_delete=ON");
        for (String ddl : schema("BLOB", "INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER")) {
          statement.execute(ddl);
        }
        truncateLog(statement, file.getFileName().toString()); // an erasure cut short by a crash is finished here
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      c.setAutoCommit(false);
      return new SqliteMessageStore(c, keys, operator, clock, file.getFileName().toString());
    } catch (SQLException e) {
      throw new StoreException("cannot open the message store " + file + " (is it open in another instance or process?): "
          + e.getMessage(), e);
    }
  }

  /** Copies the write-ahead log into the database file and truncates it to zero bytes. */
  @Override
  void afterErasure() {
    try {
      update("truncating the write-ahead log", false, c -> {
        c.commit();
        c.setAutoCommit(true);
        try (Statement statement = c.createStatement()) {
          truncateLog(statement, name);
        } finally {
          c.setAutoCommit(false);
        }
      });
    } catch (StoreException e) {
      throw new StoreException("erased (and the receipt kept), but the write-ahead log of " + name + " could not be truncated: "
          + e.getMessage() + "; it is truncated when the store is opened next", e);
    }
  }

  /** {@code PRAGMA wal_checkpoint(TRUNCATE)}, whose refusal is a result row, not an error: checked. */
  private static void truncateLog(Statement statement, String name) throws SQLException {
    try (ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
      if (!rs.next() || rs.getInt(1) != 0 || rs.getInt(2) != rs.getInt(3)) {
        throw new SQLException("the write-ahead log of " + name + " was not fully checkpointed (busy: another reader holds it)");
      }
    }
  }
}
