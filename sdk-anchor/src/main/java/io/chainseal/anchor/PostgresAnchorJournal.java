package io.chainseal.anchor;

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
 * An {@link AnchorJournal} in PostgreSQL, for operators who keep their state in a database server and
 * for several anchorer processes sharing one journal. It passes the same contract suites as
 * {@link SqliteAnchorJournal}; every method commits before it returns.
 *
 * <p><b>Surviving the database.</b> Connections have connect, socket and statement timeouts, so a
 * partition fails a call instead of hanging it. A broken connection (a database restart, a dropped
 * socket) is replaced at the next call, which is then repeated once — every method is idempotent.
 *
 * <p><b>Leadership</b> is a session advisory lock held on a connection of its own, plus the journal's
 * leader epoch: taking the lead increments it, and every leader write checks it in the same database
 * transaction (under {@code FOR SHARE}), so a former leader whose lock connection dropped cannot write.
 *
 * <p>Needs the PostgreSQL JDBC driver ({@code org.postgresql:postgresql}) on the class path.
 * Thread-safe: appends run on connections of their own ({@link Builder#appendConnections}, four by
 * default, one group at a time each), beside the leader's writes (a batch being written does not hold
 * up accepting messages); other writes are serialized on one connection. One journal holds up to
 * three connections besides the appending ones (writes, reads, the leadership lock): count them in
 * the server's {@code max_connections}.
 */
public final class PostgresAnchorJournal extends JdbcAnchorJournal {

  // messages_by_batch is partial: a message enters it when a batch takes it, not when it is journaled
  // (one index entry fewer per accepted message); "batch_seq = ?" implies the index's condition.
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        schema_version INTEGER NOT NULL,
        publisher TEXT,
        chain_id BIGINT,
        contract TEXT,
        leader_epoch BIGINT NOT NULL DEFAULT 0);
      INSERT INTO meta (id, schema_version, leader_epoch) VALUES (1, 2, 0) ON CONFLICT (id) DO NOTHING;
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
      CREATE INDEX IF NOT EXISTS messages_by_batch ON messages (batch_seq, leaf_index) WHERE batch_seq IS NOT NULL;
      CREATE TABLE IF NOT EXISTS batches (
        sequence BIGINT PRIMARY KEY,
        root BYTEA NOT NULL,
        tree_size BIGINT NOT NULL,
        previous_root BYTEA NOT NULL,
        state TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        chain_id BIGINT,
        contract TEXT,
        tx_hash BYTEA,
        block_number BIGINT,
        block_hash BYTEA,
        log_index BIGINT)
      """ + ";\n" + JdbcJournal.POSTGRES_TRANSACTION_TABLES;

  static final String NOW_MILLIS = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

  private static final AnchorDialect DIALECT = new AnchorDialect(
      "INSERT INTO messages (conversation_id, message_id, commitment, signer, signature, accepted_at)"
          + " VALUES (?, ?, ?, ?, ?, " + NOW_MILLIS + ") ON CONFLICT (conversation_id, message_id) DO NOTHING",
      false,
      "SELECT * FROM messages WHERE batch_seq IS NULL ORDER BY seq LIMIT ?",
      JdbcJournal.Dialect.POSTGRES);

  private final PostgresLeaderLock lock;

  private PostgresAnchorJournal(String name, Connector connector, Connection connection, PostgresLeaderLock lock,
      int appendConnections) {
    super(name, connector, connection, DIALECT, lock, appendConnections);
    this.lock = lock;
  }

  /**
   * Connects to {@code jdbcUrl} (e.g. {@code jdbc:postgresql://db:5432/chat?user=anchor}) with the
   * default timeouts and creates the journal's tables in the connection's schema if they are missing.
   *
   * @throws JournalException if the database cannot be reached or the schema created
   */
  public static PostgresAnchorJournal open(String jdbcUrl) {
    return builder(jdbcUrl).open();
  }

  public static Builder builder(String jdbcUrl) {
    return new Builder(jdbcUrl);
  }


  /** How many connections this journal opened for the leadership lock so far; for tests. */
  int lockConnectionsOpened() {
    return lock.connectionsOpened();
  }



  /** Settings of a {@link PostgresAnchorJournal}. */
  public static final class Builder {
    private final String url;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration socketTimeout = Duration.ofSeconds(30);
    private Duration statementTimeout = Duration.ofSeconds(20);
    private int appendConnections = 4;

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "jdbcUrl == null");
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + redact(url));
      }
    }

    /** How long opening a connection may take; default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = PostgresConnections.seconds(timeout, "connectTimeout");
      return this;
    }

    /** How long one read from the server may block (a partition): default 30 s. */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = PostgresConnections.seconds(timeout, "socketTimeout");
      return this;
    }

    /** How long the server may run one statement; default 20 s. */
    public Builder statementTimeout(Duration timeout) {
      this.statementTimeout = PostgresConnections.seconds(timeout, "statementTimeout");
      return this;
    }

    /**
     * How many connections append accepted messages, each one group at a time; default 4. An anchorer
     * runs as many journal writers: while one group waits for the server's commit, the next is sent.
     * The journal opens these besides its three others (writes, reads, leadership lock).
     */
    public Builder appendConnections(int connections) {
      if (connections < 1 || connections > 64) {
        throw new IllegalArgumentException("appendConnections must be in [1, 64], got " + connections);
      }
      this.appendConnections = connections;
      return this;
    }

    /**
     * Connects and creates the tables if they are missing.
     *
     * @throws JournalException if the database cannot be reached or the schema created
     */
    public PostgresAnchorJournal open() {
      String where = redact(url);
      Connector connector = PostgresConnections.connector(url, connectTimeout, socketTimeout, statementTimeout);
      try {
        Connection connection = connector.open();
        try (Statement statement = connection.createStatement()) {
          statement.execute("SELECT pg_advisory_xact_lock(727365)"); // two first starts must not race on the DDL
        }
        refuseOldLayout(connection, where);
        try (Statement statement = connection.createStatement()) {
          createSchema(statement, SCHEMA);
        }
        connection.commit();
        return new PostgresAnchorJournal(where, connector, connection, new PostgresLeaderLock(where, "chainseal-anchor", connector),
            appendConnections);
      } catch (SQLException e) {
        throw new JournalException("cannot open journal " + where + ": " + redact(e.getMessage()), true, redacted(e));
      }
    }
  }
}
