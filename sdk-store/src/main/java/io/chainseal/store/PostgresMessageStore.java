package io.chainseal.store;

import io.chainseal.chain.jdbc.JdbcJournal;
import io.chainseal.chain.jdbc.PostgresConnections;
import io.chainseal.core.KeyProvider;
import io.chainseal.core.MessageStore;
import io.chainseal.core.Signer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link MessageStore} in PostgreSQL, for several instances sharing one store: the same tables,
 * encryption and erasure as {@link SqliteMessageStore}. Each instance checks a data key against the
 * database in every transaction that encrypts under it and holds it locked (shared) until the
 * transaction ends; an erasure that deletes data keys locks them exclusively first — so no instance
 * stores a message under a key another instance is destroying, and an erasure of a sender or a
 * conversation also erases what another instance was storing for it at that moment. Two instances
 * storing the same message store it once. A connection that breaks (a database restart) is opened again
 * and the call repeated, except an erasure, which reports that whether it happened is unknown.
 *
 * <p><b>What erasure reaches here.</b> PostgreSQL does not overwrite what it deletes: the old row
 * versions (ciphertexts, wrapped data keys) stay in the table's pages until {@code VACUUM} reclaims them,
 * and in the server's write-ahead log and its archives and backups. Together with the key-encryption key
 * they still decrypt. The store removes them from everything it answers; making them unrecoverable on
 * the server's disks takes {@code VACUUM FULL} (or a KMS-held key-encryption key that is destroyed) and
 * an archive policy that expires old WAL. docs/privacy.md compares this with SQLite.
 */
public final class PostgresMessageStore extends JdbcMessageStore {
  private PostgresMessageStore(Connection connection, JdbcJournal.Connector connector, KeyProvider keys, Signer operator,
      Clock clock, String name) {
    super(connection, connector::open, new Dialect(" FOR SHARE", " FOR UPDATE"), keys, operator, clock, name);
  }

  /**
   * Connects to {@code jdbcUrl} (e.g. {@code jdbc:postgresql://db:5432/chat?user=store}) with default
   * timeouts (connect 10 s, socket 30 s, statement 20 s) and creates the tables if they are missing.
   *
   * @param keys wraps the data keys (every instance needs the same key-encryption key)
   * @param operator signs erasure receipts
   * @throws StoreException if the database cannot be reached or the tables created
   */
  public static PostgresMessageStore open(String jdbcUrl, KeyProvider keys, Signer operator) {
    return open(jdbcUrl, keys, operator, Clock.systemUTC());
  }

  /** As {@link #open(String, KeyProvider, Signer)}, with the clock that dates erasures and storage. */
  public static PostgresMessageStore open(String jdbcUrl, KeyProvider keys, Signer operator, Clock clock) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl == null");
    Objects.requireNonNull(keys, "keys == null");
    Objects.requireNonNull(operator, "operator == null");
    Objects.requireNonNull(clock, "clock == null");
    String where = JdbcJournal.redact(jdbcUrl);
    JdbcJournal.Connector connector = PostgresConnections.connector(jdbcUrl, Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(20));
    try {
      Connection c = connector.open();
      try (Statement statement = c.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(727366)"); // two first starts must not race on the DDL
        for (String ddl : schema("BYTEA", "BIGSERIAL PRIMARY KEY", "BIGINT")) {
          statement.execute(ddl);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      return new PostgresMessageStore(c, connector, keys, operator, clock, where);
    } catch (SQLException e) {
      throw new StoreException("cannot open the message store " + where + ": " + JdbcJournal.redact(e.getMessage()),
          JdbcJournal.redacted(e));
    }
  }

  /** Nothing to do: see the class comment for what stays on the server. */
  @Override
  void afterErasure() {}
}
