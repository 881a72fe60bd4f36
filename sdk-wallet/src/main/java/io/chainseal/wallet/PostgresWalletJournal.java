package io.chainseal.wallet;

import io.chainseal.chain.JournalException;
import io.chainseal.chain.jdbc.JdbcJournal;
import io.chainseal.chain.jdbc.PostgresConnections;
import io.chainseal.chain.jdbc.PostgresLeaderLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link WalletJournal} in PostgreSQL, for several instances of a host sharing one wallet: one
 * instance at a time leads it — holds its advisory lock and sends payments ({@link Payments} refuses to
 * start elsewhere) — and another takes over when the leader stops or its connection dies, resuming
 * every payment the journal holds. Every leader write checks the journal's leader epoch in the same
 * database transaction, so a former leader whose lock was lost can sign nothing more. Vouchers of paid
 * services may be kept by any instance. Connections have timeouts and are re-opened when they break.
 * Needs {@code org.postgresql:postgresql} on the class path. Thread-safe.
 */
public final class PostgresWalletJournal extends JdbcWalletJournal {
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        schema_version INTEGER NOT NULL,
        leader_epoch BIGINT NOT NULL DEFAULT 0);
      INSERT INTO meta (id, schema_version, leader_epoch) VALUES (1, 1, 0) ON CONFLICT (id) DO NOTHING;
      CREATE TABLE IF NOT EXISTS payments (
        payment_id TEXT PRIMARY KEY,
        sender TEXT NOT NULL,
        recipient TEXT NOT NULL,
        token TEXT NOT NULL,
        symbol TEXT NOT NULL,
        decimals INTEGER NOT NULL,
        base_units TEXT NOT NULL,
        recorded_at BIGINT NOT NULL);
      CREATE INDEX IF NOT EXISTS payments_by_sender ON payments (sender, recorded_at);
      CREATE TABLE IF NOT EXISTS vouchers (
        channel_id BYTEA PRIMARY KEY,
        cumulative TEXT NOT NULL,
        signature BYTEA NOT NULL,
        paid_for TEXT NOT NULL DEFAULT '',
        answer TEXT)
      """ + ";\n" + JdbcJournal.POSTGRES_TRANSACTION_TABLES;

  private PostgresWalletJournal(String name, Connector connector, Connection first) {
    super(name, connector, first, JdbcJournal.Dialect.POSTGRES, new PostgresLeaderLock(name, "chainseal-wallet", connector));
  }

  /**
   * Connects to {@code jdbcUrl} (connect 10 s, socket 30 s, statement 20 s timeouts) and creates the
   * tables in the connection's schema if they are missing. The journal does not lead yet:
   * {@link Payments} takes the lead when it is built.
   *
   * @throws JournalException if the database cannot be reached or the schema created
   */
  public static PostgresWalletJournal open(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl == null");
    String where = redact(jdbcUrl);
    Connector connector = PostgresConnections.connector(jdbcUrl, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(20));
    try {
      Connection connection = connector.open();
      try {
        try (Statement statement = connection.createStatement()) {
          statement.execute("SELECT pg_advisory_xact_lock(727366)"); // two first starts must not race on the DDL
          createSchema(statement, SCHEMA);
        }
        upgrade(connection);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      return new PostgresWalletJournal(where, connector, connection);
    } catch (SQLException e) {
      throw new JournalException("cannot open journal " + where + ": " + redact(e.getMessage()), true, redacted(e));
    }
  }



}
