package io.chainseal.wallet;

import io.chainseal.chain.JournalException;
import io.chainseal.chain.jdbc.JdbcJournal;
import io.chainseal.chain.jdbc.SqliteFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The embedded default {@link WalletJournal}: one SQLite file (WAL, {@code synchronous=FULL}), owned by
 * one process at a time — a second opener is refused — so this process alone signs for the accounts
 * whose payments it holds. Payments and transactions share the file and the transaction tables of
 * every Chainseal journal ({@link JdbcJournal}). Needs {@code org.xerial:sqlite-jdbc} on the class path.
 */
public final class SqliteWalletJournal extends JdbcWalletJournal {
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        schema_version INTEGER NOT NULL,
        leader_epoch INTEGER NOT NULL DEFAULT 0);
      INSERT OR IGNORE INTO meta (id, schema_version, leader_epoch) VALUES (1, 1, 0);
      CREATE TABLE IF NOT EXISTS payments (
        payment_id TEXT PRIMARY KEY,
        sender TEXT NOT NULL,
        recipient TEXT NOT NULL,
        token TEXT NOT NULL,
        symbol TEXT NOT NULL,
        decimals INTEGER NOT NULL,
        base_units TEXT NOT NULL,
        recorded_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS payments_by_sender ON payments (sender, recorded_at);
      CREATE TABLE IF NOT EXISTS vouchers (
        channel_id BLOB PRIMARY KEY,
        cumulative TEXT NOT NULL,
        signature BLOB NOT NULL,
        paid_for TEXT NOT NULL DEFAULT '',
        answer TEXT)
      """ + ";\n" + JdbcJournal.SQLITE_TRANSACTION_TABLES;

  private SqliteWalletJournal(Path path, SqliteFile file, Connection first) {
    super(path.toString(), file.connector(), first, JdbcJournal.Dialect.SQLITE, file);
  }

  /**
   * Opens (creating if needed) the journal at {@code file} and takes it for this process.
   *
   * @throws JournalException if another process or object has it open, or it cannot be opened
   */
  public static SqliteWalletJournal open(Path file) {
    return SqliteFile.openJournal(file, "wallet", connection -> {
      try (Statement statement = connection.createStatement()) {
        createSchema(statement, SCHEMA);
      }
      upgrade(connection);
    }, (owned, first) -> {
      SqliteWalletJournal journal = new SqliteWalletJournal(file, owned, first);
      if (!journal.tryLead()) {
        throw new JournalException("journal " + file + " could not be taken for this process", false);
      }
      return journal;
    });
  }




}
